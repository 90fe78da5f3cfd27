package io.controlcenter.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.controlcenter.gateway.GatewayState;
import org.apache.camel.builder.NotifyBuilder;
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

    /**
     * Waits until the application's fallback timer (route {@code fallback-poll}, once a second: it decides whether to
     * poll the gateway over HTTP) has run {@code n} more times. What must not happen within that time (a poll, a
     * retry the backoff would have made long before) is then checked: a bound measured by the application's own
     * clock, not a sleep of the test.
     */
    protected void awaitFallbackChecks(int n) {
        NotifyBuilder checks = new NotifyBuilder(app.context()).fromRoute("fallback-poll-default").whenCompleted(n).create();
        if (!checks.matches(2L * n + 5, TimeUnit.SECONDS)) {
            throw new AssertionError("route fallback-poll did not run " + n + " times");
        }
    }

    @AfterEach
    void stopAll() {
        if (app != null) {
            app.close();
        }
        gateway.close();
    }
}
