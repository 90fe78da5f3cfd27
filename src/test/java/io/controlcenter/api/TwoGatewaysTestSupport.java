package io.controlcenter.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.controlcenter.fleet.FleetTestSupport;
import io.controlcenter.gateway.GatewayClient;
import io.controlcenter.gateway.GatewayState;
import io.controlcenter.gateway.OpenClawComponent;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.AfterEach;

import static io.controlcenter.support.ControlCenterApp.await;

/**
 * Two in-process gateways, {@code default} ({@link #gateway}, serving {@link #fleet}) and {@code lab} ({@link #lab},
 * serving {@link #labFleet}), and the application connected to both ({@code gateways=default,lab}). Both fleets start
 * with the same agent {@code main} and the same session {@code agent:main:main}, as two real gateways would have.
 */
abstract class TwoGatewaysTestSupport extends FleetTestSupport {

    static final String SESSION = "agent:main:main";
    protected final FakeGateway lab = new FakeGateway().start();
    protected final FakeFleet labFleet = new FakeFleet();

    protected TwoGatewaysTestSupport() {
        for (FakeFleet f : List.of(fleet, labFleet)) {
            f.agents(1);
            f.sessions.put(SESSION, FakeFleet.session(SESSION, "main", 1_000));
        }
    }

    /** The properties that add gateway {@code lab}, followed by {@code overrides}. */
    protected String[] withLab(String... overrides) {
        List<String> all = new ArrayList<>(List.of("gateways", "default,lab", "gateway.lab.ws-url", lab.url(),
                "gateway.lab.token", FakeGateway.TOKEN));
        all.addAll(Arrays.asList(overrides));
        return all.toArray(String[]::new);
    }

    /** Boots against both gateways and waits until both are connected and every agent and session of both is stored. */
    protected void startBoth(String... overrides) {
        fleet.install(gateway);
        labFleet.install(lab);
        start(withLab(overrides));
        awaitBothSynced();
    }

    protected void awaitBothSynced() {
        await("both gateways connected", Duration.ofSeconds(10), () -> client("default").getGatewayState()
                == GatewayState.CONNECTED && client("lab").getGatewayState() == GatewayState.CONNECTED);
        int agents = fleet.agents.size() + labFleet.agents.size();
        int sessions = fleet.sessions.size() + labFleet.sessions.size();
        await(agents + " agents and " + sessions + " sessions stored", Duration.ofSeconds(30),
                () -> agentsApi().size() == agents && list("/api/sessions").size() == sessions);
    }

    protected GatewayClient client(String name) {
        return app.context().getComponent("openclaw", OpenClawComponent.class).client(name);
    }

    /** GET {@code path}, expecting 200 and a JSON object. */
    protected Map<String, Object> object(String path) {
        HttpResponse<String> r = app.get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json(r.body());
    }

    /** The values of {@code field} in {@code objects}, in order. */
    protected static List<Object> field(List<Map<String, Object>> objects, String field) {
        return objects.stream().map(o -> o.get(field)).toList();
    }

    /** GET /api/gateways, by name. */
    protected Map<String, Map<String, Object>> gateways() {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        list("/api/gateways").forEach(g -> byName.put((String) g.get("name"), g));
        return byName;
    }

    /** Control Center first, then lab's gateway (so it does not see lab go away while stopping). */
    @AfterEach
    void stopLab() {
        if (app != null) {
            app.close();
            app = null;
        }
        lab.close();
    }
}
