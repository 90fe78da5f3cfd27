package io.controlcenter.support;

import java.time.Duration;

import io.controlcenter.gateway.GatewayState;
import org.junit.jupiter.api.AfterEach;

import static io.controlcenter.support.ControlCenterApp.await;

/** A started in-process gateway on a free port, and the application booted against it by {@link #start(String...)}. */
public abstract class GatewayTestSupport {

    protected final FakeGateway gateway = new FakeGateway().start();
    protected ControlCenterApp app;

    /** Boots the application against {@link #gateway} with property overrides (key, value pairs). */
    protected ControlCenterApp start(String... overrides) {
        app = ControlCenterApp.start(gateway, overrides);
        return app;
    }

    protected void awaitConnected() {
        await("connected", Duration.ofSeconds(5), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
    }

    /** Waits for connection number {@code n} (1-based) to the gateway to have reached hello-ok. */
    protected void awaitConnection(int n) {
        await("connection " + n, Duration.ofSeconds(10),
                () -> gateway.connections.size() >= n && gateway.connections.get(n - 1).helloSent
                        && app.client().getGatewayState() == GatewayState.CONNECTED);
    }

    protected long counter(String name) {
        return ((Number) app.gatewayStatus().get(name)).longValue();
    }

    @AfterEach
    void stopAll() {
        if (app != null) {
            app.close();
        }
        gateway.close();
    }
}
