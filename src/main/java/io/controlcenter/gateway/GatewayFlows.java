package io.controlcenter.gateway;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.RouteTemplateParameterSource;

/**
 * The per-gateway flow of {@code routes/}: every route template with a {@code gateway} parameter becomes one route per
 * configured gateway ({@code gateways}), with the route id {@code <template>-<gateway>}. Camel asks this source (a
 * bean in the registry) for the routes to create from templates when it initializes. A template that also declares
 * the parameter {@code leadership} gets what goes before its consumer's URI so that it runs only on the instance that
 * leads the gateway: nothing with one instance, {@code master:cc-gateway-<name>:} with several
 * ({@code cluster.service}).
 */
public final class GatewayFlows implements RouteTemplateParameterSource {

    /** The template parameter that names the gateway. */
    public static final String PARAMETER = "gateway";
    /** The template parameter that makes a consumer run only where the gateway is led. */
    public static final String LEADERSHIP = "leadership";

    private final CamelContext context;
    private final List<String> gateways;
    private final UnaryOperator<String> leadership;

    /** {@code leadership}: a gateway's name to the prefix of its leader-only consumers' URIs. */
    public GatewayFlows(CamelContext context, List<String> gateways, UnaryOperator<String> leadership) {
        this.context = context;
        this.gateways = List.copyOf(gateways);
        this.leadership = leadership;
    }

    /** The id of template {@code template}'s route for {@code gateway}. */
    public static String routeId(String template, String gateway) {
        return template + "-" + gateway;
    }

    @Override
    public Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (String template : templates()) {
            gateways.forEach(g -> ids.add(routeId(template, g)));
        }
        return ids;
    }

    @Override
    public Map<String, Object> parameters(String routeId) {
        for (RouteTemplateDefinition template : definitions()) {
            for (String gateway : gateways) {
                if (routeId(template.getId(), gateway).equals(routeId)) {
                    Map<String, Object> parameters = new LinkedHashMap<>();
                    parameters.put(TEMPLATE_ID, template.getId());
                    parameters.put(PARAMETER, gateway);
                    if (declares(template, LEADERSHIP)) {
                        parameters.put(LEADERSHIP, leadership.apply(gateway));
                    }
                    return parameters;
                }
            }
        }
        return Map.of();
    }

    /** The templates that take a gateway: the per-gateway flow. */
    private List<String> templates() {
        return definitions().stream().map(RouteTemplateDefinition::getId).toList();
    }

    private List<RouteTemplateDefinition> definitions() {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        return model.getRouteTemplateDefinitions().stream().filter(t -> declares(t, PARAMETER)).toList();
    }

    private static boolean declares(RouteTemplateDefinition template, String parameter) {
        return template.getTemplateParameters() != null
                && template.getTemplateParameters().stream().anyMatch(p -> parameter.equals(p.getName()));
    }
}
