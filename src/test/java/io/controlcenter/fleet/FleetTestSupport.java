package io.controlcenter.fleet;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

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

    /** Rows of a query on the application's own database. */
    protected List<Map<String, Object>> sql(String query) {
        DataSource ds = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError(query + ": " + e.getMessage(), e);
        }
    }

    protected long count(String query) {
        return ((Number) sql(query).get(0).values().iterator().next()).longValue();
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
