package io.controlcenter.sse;

import java.util.ArrayList;
import java.util.List;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.AfterEach;

/**
 * The real application booted with property overrides (no gateway: its URL points at a closed port, the application
 * starts anyway), its {@code sseHub} from the registry, and real SSE clients on its HTTP port.
 */
abstract class SseTestSupport {

    protected ControlCenterApp app;
    protected SseHub hub;
    private final List<AutoCloseable> clients = new ArrayList<>();

    protected SseHub start(String... overrides) {
        app = ControlCenterApp.start("ws://127.0.0.1:" + ControlCenterApp.freePort() + "/", overrides);
        hub = app.context().getRegistry().lookupByNameAndType("sseHub", SseHub.class);
        if (hub != null) {
            // the hub alone: no fleet snapshot or event-log replay unless a test sets its own
            hub.setSnapshot(null);
            hub.setReplay(null);
        }
        if (hub == null) {
            throw new AssertionError("no sseHub in the registry");
        }
        return hub;
    }

    /** A client of {@code GET /api/events} plus {@code query}, with headers (name, value pairs). */
    protected SseStream connect(String query, String... headers) {
        SseStream stream = SseStream.open(app.port(), "/api/events" + query, headers);
        clients.add(stream);
        return stream;
    }

    protected static SseMessage message(long id, String sessionKey) {
        return new SseMessage(id, "session.update", "{\"n\":" + id + "}", sessionKey);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        if (app != null) {
            app.close();
        }
    }
}
