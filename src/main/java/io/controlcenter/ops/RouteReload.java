package io.controlcenter.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.controlcenter.config.ConfigurationException;
import io.controlcenter.config.Messages;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.RouteTemplateParameterSource;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of the route files in {@code routes/} ({@code camel.main.routes-reload-*}): an edited file replaces only
 * the routes it defines, so editing any file but {@code gateway.yaml} leaves the gateway connection alone. A file Camel
 * cannot load (YAML, an unknown step, a bad endpoint) is rejected with one ERROR line naming the file and why, and the
 * routes it defined keep running as they were (put back from the last version that loaded, if the attempt had already
 * removed them). Camel's own handling would leave them removed: with
 * {@code routes-reload-remove-all-routes=false} an error that shows only when Camel builds the route comes after that
 * file's routes were removed, and they stay removed.
 */
public class RouteReload implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReload.class);

    private final Map<String, String> lastLoaded = new ConcurrentHashMap<>();
    /** The text last rejected per file: the watcher reports one save more than once, and it is rejected once. */
    private final Map<String, String> lastRejected = new ConcurrentHashMap<>();
    private CamelContext context;

    @Override
    public void configure(CamelContext context) throws IOException {
        RouteWatcherReloadStrategy watcher = context.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null) {
            return; // camel.main.routes-reload-enabled=false
        }
        if (watcher.isRemoveAllRoutes()) {
            throw new ConfigurationException("camel.main.routes-reload-remove-all-routes must be false: removing every "
                    + "route on each edit drops the gateway connection and loses the routes of the other files");
        }
        this.context = context;
        Path folder = Path.of(watcher.getFolder());
        if (Files.isDirectory(folder)) {
            try (var files = Files.list(folder)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    lastLoaded.put(key(file), Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
        watcher.setResourceReload((name, resource) -> reload(Path.of(name), resource));
    }

    private void reload(Path file, Resource resource) throws IOException {
        if (!Files.exists(file)) {
            LOG.warn("Routes file {} was deleted; its routes keep running until Control Center restarts", file);
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank() || text.equals(lastLoaded.get(key(file))) || text.equals(lastRejected.get(key(file)))) {
            return; // a file being written (truncated first), or a second report of the same content
        }
        Set<String> before = routeIds(file);
        List<RouteTemplateDefinition> templates = templates(file);
        try {
            model().removeRouteTemplateDefinitions(templates); // Camel adds a reloaded template beside the old one
            Set<String> ids = new TreeSet<>(PluginHelper.getRoutesLoader(context).updateRoutes(List.of(resource)));
            ids.addAll(fromTemplates(file, true));
            lastLoaded.put(key(file), text);
            lastRejected.remove(key(file));
            LOG.info("Routes file {} reloaded: {}", file, ids);
        } catch (Exception e) {
            lastRejected.put(key(file), text);
            LOG.error("Routes file {} rejected, the routes keep running as they were: {}", file, Messages.causes(e));
            try {
                // the routes made from the old templates run on: the old templates go back with them
                model().removeRouteTemplateDefinitions(templates(file));
                model().addRouteTemplateDefinitions(templates);
                fromTemplates(file, false);
            } catch (Exception again) {
                LOG.error("Route templates of {} could not be put back: {}", file, Messages.causes(again));
            }
            restore(file, resource, before);
        }
    }

    /**
     * The routes made from the file's route templates (e.g. the flow of each gateway), made again from the templates as
     * just loaded ({@code replace}: Camel replaces the templates, not the routes made from them), or only those missing.
     * Returns their ids.
     */
    private Set<String> fromTemplates(Path file, boolean replace) throws Exception {
        Model model = model();
        Set<String> templates = templates(file).stream().map(RouteTemplateDefinition::getId).collect(Collectors.toSet());
        Set<String> made = new TreeSet<>();
        for (RouteTemplateParameterSource source : context.getRegistry().findByType(RouteTemplateParameterSource.class)) {
            for (String routeId : source.routeIds()) {
                Map<String, Object> parameters = new HashMap<>(source.parameters(routeId));
                Object template = parameters.remove(RouteTemplateParameterSource.TEMPLATE_ID);
                if (template != null && templates.contains(template.toString())
                        && (replace || context.getRoute(routeId) == null)) {
                    if (context.getRoute(routeId) != null) {
                        context.getRouteController().stopRoute(routeId);
                        context.removeRoute(routeId);
                    }
                    model.addRouteFromTemplate(routeId, template.toString(), parameters);
                    made.add(routeId);
                }
            }
        }
        return made;
    }

    private Model model() {
        return context.getCamelContextExtension().getContextPlugin(Model.class);
    }

    /** The route templates loaded from {@code file}. */
    private List<RouteTemplateDefinition> templates(Path file) {
        return model().getRouteTemplateDefinitions().stream()
                .filter(t -> t.getResource() != null && t.getResource().getLocation().startsWith("file:")
                        && key(file).equals(key(Path.of(t.getResource().getLocation().substring(5)))))
                .toList();
    }

    /** Puts back the last version of the file that loaded, if the failed attempt removed or stopped any of its routes. */
    private void restore(Path file, Resource resource, Set<String> before) {
        String previous = lastLoaded.get(key(file));
        boolean intact = before.stream().allMatch(id -> context.getRouteController().getRouteStatus(id) == ServiceStatus.Started);
        if (intact || previous == null) {
            return;
        }
        try {
            for (String id : routeIds(file)) {
                if (!before.contains(id)) { // a route only the rejected version had
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
            }
            model().removeRouteTemplateDefinitions(templates(file));
            PluginHelper.getRoutesLoader(context).updateRoutes(
                    List.of(ResourceHelper.fromString(resource.getLocation(), previous)));
            fromTemplates(file, true);
            LOG.info("Routes of {} restored from the version that last loaded: {}", file, before);
        } catch (Exception e) {
            LOG.error("Routes of {} could not be restored: {}", file, Messages.causes(e));
        }
    }

    /** The routes loaded from {@code file} (however its location was written: relative, absolute). */
    private Set<String> routeIds(Path file) {
        String key = key(file);
        return context.getRoutes().stream()
                .filter(r -> r.getSourceResource() != null && r.getSourceResource().getLocation().startsWith("file:")
                        && key.equals(key(Path.of(r.getSourceResource().getLocation().substring(5)))))
                .map(Route::getRouteId).collect(Collectors.toSet());
    }

    private static String key(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }
}
