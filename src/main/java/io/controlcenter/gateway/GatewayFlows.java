package io.controlcenter.gateway;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.RouteTemplateParameterSource;

/**
 * The per-gateway flow of {@code routes/}: every route template with a {@code gateway} parameter becomes one route per
 * configured gateway ({@code gateways}), with the route id {@code <template>-<gateway>}. Camel asks this source (a
 * bean in the registry) for the routes to create from templates when it initializes.
 */
public final class GatewayFlows implements RouteTemplateParameterSource {

    /** The template parameter that names the gateway. */
    public static final String PARAMETER = "gateway";

    private final CamelContext context;
    private final List<String> gateways;

    public GatewayFlows(CamelContext context, List<String> gateways) {
        this.context = context;
        this.gateways = List.copyOf(gateways);
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
        for (String template : templates()) {
            for (String gateway : gateways) {
                if (routeId(template, gateway).equals(routeId)) {
                    Map<String, Object> parameters = new LinkedHashMap<>();
                    parameters.put(TEMPLATE_ID, template);
                    parameters.put(PARAMETER, gateway);
                    return parameters;
                }
            }
        }
        return Map.of();
    }

    /** The templates that take a gateway: the per-gateway flow. */
    private List<String> templates() {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        return model.getRouteTemplateDefinitions().stream()
                .filter(t -> t.getTemplateParameters() != null
                        && t.getTemplateParameters().stream().anyMatch(p -> PARAMETER.equals(p.getName())))
                .map(RouteTemplateDefinition::getId).toList();
    }
}
