package io.controlcenter.gateway;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.management.ObjectName;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The one-gateway configuration as it was before there could be several (no {@code gateways} key, the gateway.* keys):
 * the one gateway is named by {@code gateway.name}, {@code default} unless set, and everything an operator sees carries
 * that name: its health checks ({@code gateway-default}, {@code gateway-default-path}), its MBeans
 * ({@code type=gateways,gateway=default}), its routes, its rows and the dashboards' one fleet.update. An older
 * configuration with {@code gateway.name} set keeps its name the same way.
 */
class OneGatewayConfigurationTest extends FleetTestSupport {

    @Test
    void withoutAGatewaysKeyTheOneGatewayIsDefault() throws Exception {
        assertTheOneGatewayIs("default");
    }

    @Test
    void anOlderConfigurationsGatewayNameNamesTheOneGateway() throws Exception {
        assertTheOneGatewayIs("prod", "gateway.name", "prod");
    }

    private void assertTheOneGatewayIs(String name, String... overrides) throws Exception {
        fleet.agents(2).sessions(2, 1_000).install(gateway);
        start(overrides);
        GatewayClient client = app.context().getComponent("openclaw", OpenClawComponent.class).client(name);
        await(name + " connected", Duration.ofSeconds(10), () -> client.getGatewayState() == GatewayState.CONNECTED);
        await("synced", Duration.ofSeconds(10), () -> count("SELECT count(*) FROM sessions") == 2);

        HttpResponse<String> ready = app.get("/observe/health/ready?exposureLevel=full&data=true");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(Set.of("gateway-" + name, "gateway-" + name + "-path"), gatewayChecks(ready.body()), ready.body());

        Set<String> mbeans = ManagementFactory.getPlatformMBeanServer()
                .queryNames(new ObjectName("org.apache.camel:type=gateways,*"), null).stream()
                .map(n -> n.getKeyProperty("gateway") + "/" + n.getKeyProperty("name")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(name + "/GatewayClient", name + "/FallbackGate"), mbeans);

        Set<String> perGateway = app.context().getRoutes().stream().map(r -> r.getRouteId())
                .filter(id -> id.startsWith("gateway-frames-") || id.startsWith("fleet-sync-") || id.startsWith("fallback-poll-"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("gateway-frames-" + name, "fleet-sync-" + name, "fallback-poll-" + name), perGateway);

        assertEquals(List.of(Map.of("name", name, "state", "connected")), app.query("SELECT name, state FROM gateways"));
        assertEquals(List.of(Map.of("gateway", name)), app.query("SELECT DISTINCT gateway FROM agents"));
        assertEquals(List.of(Map.of("gateway", name)), app.query("SELECT DISTINCT gateway FROM sessions"));

        // a dashboard: one fleet.update, of this gateway, then the live events (a live one marks the snapshot's end)
        SseStream s = sse("/api/events");
        gateway.last().event("sessions.changed", FakeFleet.sessionsChanged(
                FakeFleet.session("agent:main:s0", "main", System.currentTimeMillis() + 60_000), "patch",
                System.currentTimeMillis() + 60_000));
        await("the live session.update", Duration.ofSeconds(10), () -> countEvents(s, "session.update") == 1);
        List<SseStream.Event> snapshot = s.events.subList(0, s.events.indexOf(s.events.stream()
                .filter(e -> "session.update".equals(e.event())).findFirst().orElseThrow()));
        assertEquals(1, snapshot.stream().filter(e -> "fleet.update".equals(e.event())).count(), String.valueOf(snapshot));
        assertEquals(name, json(snapshot.get(0).data()).get("gateway"));
        assertEquals(name, events(s, "session.update").get(0).get("gateway"));
        assertEquals(1, count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed' AND gateway = '" + name + "'"));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> gatewayChecks(String health) throws IOException {
        Set<String> names = new TreeSet<>();
        for (Object c : (List<Object>) Json.parseObject(health).get("checks")) {
            String n = (String) ((Map<String, Object>) c).get("name");
            if (n.startsWith("gateway-")) {
                names.add(n);
            }
        }
        return names;
    }
}
