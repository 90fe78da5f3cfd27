package io.controlcenter.support;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.controlcenter.gateway.GatewayState;
import org.junit.jupiter.api.AfterAll;

import static io.controlcenter.support.ControlCenterApp.await;

/**
 * The set-up the conformance suite ({@code src/test/java/io/controlcenter/conformance}, tag {@code real-gateway}, run by
 * failsafe one class after another) shares: the real gateway of a test class, started by the class's own
 * {@code @BeforeAll} into {@link #gateway}, Control Center started against it with its token, and both stopped after
 * the class (Control Center first).
 */
public abstract class RealGatewayTestSupport {

    /** The gateway of the running test class. */
    protected static RealGateway gateway;
    /** Control Center connected to {@link #gateway} for the whole class, once {@link #startConnected} ran. */
    protected static ControlCenterApp app;

    /** Keeps {@code started} as the class's gateway, starts {@link #app} against it and waits until it is connected. */
    protected static void startConnected(RealGateway started) {
        gateway = started;
        app = startApp();
        awaitConnected(app);
    }

    /**
     * Starts two real gateways with the mock model at once: the first becomes {@link #gateway}, the second is returned
     * (kept for the clean-up even when the first did not start: {@code whenStarted} receives it first).
     */
    protected static RealGateway startTwoWithMockModel(java.util.function.Consumer<RealGateway> whenStarted) {
        CompletableFuture<RealGateway> second = CompletableFuture.supplyAsync(() -> {
            try {
                return RealGateway.startWithMockModel();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            gateway = RealGateway.startWithMockModel();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            whenStarted.accept(second.join());
        }
        return second.join();
    }

    /** Control Center against {@link #gateway} with its token; {@code overrides} (key, value pairs) applied last. */
    protected static ControlCenterApp startApp(String... overrides) {
        String[] all = new String[overrides.length + 2];
        all[0] = "gateway.token";
        all[1] = gateway.token();
        System.arraycopy(overrides, 0, all, 2, overrides.length);
        return ControlCenterApp.start(gateway.url(), all);
    }

    /**
     * Control Center that reaches {@link #gateway} only over HTTP: its WebSocket URL names a port of the gateway's host
     * where nothing listens, its HTTP URL is the gateway's; the fallback starts polling after 1 s, every 2 s.
     */
    protected static ControlCenterApp startPollingOnly() {
        return ControlCenterApp.start("ws://" + gateway.host() + ":" + ControlCenterApp.freePort() + "/",
                "gateway.token", gateway.token(), "gateway.http-url", gateway.httpUrl(),
                "fallback.startup-wait", "1s", "fallback.interval", "2s");
    }

    /** Waits up to 15 s for {@code app} to be connected over the WebSocket. */
    protected static void awaitConnected(ControlCenterApp app) {
        await("connected", Duration.ofSeconds(15), () -> app.client().getGatewayState() == GatewayState.CONNECTED);
    }

    /** Waits up to 30 s for GET /api/agents of a polling {@code app} to list the gateway's agents main, ops and research. */
    protected static void awaitTheThreeAgentsByPolling(ControlCenterApp app) {
        await("the three agents by polling", Duration.ofSeconds(30), () -> {
            String agents = app.get("/api/agents").body();
            return agents.contains("\"main\"") && agents.contains("\"ops\"") && agents.contains("\"research\"");
        });
    }

    /** Stops {@link #app}, then {@link #gateway}, each once (a class with more to stop calls it first: RemoteGatewayIT). */
    protected static void stopAppAndGateway() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            app = null;
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
        }
    }

    @AfterAll
    static void stopAfterClass() {
        stopAppAndGateway();
    }
}
