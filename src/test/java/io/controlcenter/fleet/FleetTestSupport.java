package io.controlcenter.fleet;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.GatewayTestSupport;
import io.controlcenter.support.SseStream;

import static io.controlcenter.support.ControlCenterApp.await;

/** The in-process gateway serving a {@link FakeFleet}, the application against it, and ways to look at the result. */
public abstract class FleetTestSupport extends GatewayTestSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    protected final FakeFleet fleet = new FakeFleet();
    private final List<SseStream> streams = new ArrayList<>();

    /** Boots the application and waits until the first sync has stored {@code agents} agents. */
    protected void startSynced(int agents, String... overrides) {
        fleet.install(gateway);
        start(overrides);
        awaitConnected();
        await(agents + " agents stored", Duration.ofSeconds(30), () -> agentsApi().size() == agents);
    }

    protected SseStream sse(String pathAndQuery, String... headers) {
        SseStream s = SseStream.open(app.port(), pathAndQuery, headers);
        streams.add(s);
        return s;
    }

    protected List<Map<String, Object>> agentsApi() {
        return list("/api/agents");
    }

    protected List<Map<String, Object>> list(String path) {
        HttpResponse<String> r = app.get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body(), new TypeReference<>() {
        });
    }

    protected static <T> T parse(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    protected static Map<String, Object> json(String text) {
        return parse(text, new TypeReference<>() {
        });
    }

    /** The single number a query on the application's database answers ({@code SELECT count(*) ...}). */
    protected long count(String query) {
        return ((Number) app.query(query).get(0).values().iterator().next()).longValue();
    }

    /** How many events named {@code event} a stream has received (cheap: no parsing, for waiting). */
    protected static long countEvents(SseStream s, String event) {
        return s.events.stream().filter(e -> event.equals(e.event())).count();
    }

    /** The events of a stream named {@code event}, data parsed. */
    protected static List<Map<String, Object>> events(SseStream s, String event) {
        return s.events.stream().filter(e -> event.equals(e.event())).map(e -> json(e.data())).toList();
    }

    @org.junit.jupiter.api.AfterEach
    protected void closeStreams() {
        streams.forEach(SseStream::close);
    }
}
