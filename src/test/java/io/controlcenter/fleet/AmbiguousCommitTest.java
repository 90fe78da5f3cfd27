package io.controlcenter.fleet;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.controlcenter.sse.SseMessage;
import io.controlcenter.support.FakeFleet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The connection drops while the database acknowledges a commit: the batch is stored but the writer sees an error and
 * retries. The retry must push what was stored, not store the batch a second time.
 */
class AmbiguousCommitTest extends FleetTestSupport {

    /** The real database, except that the first commit succeeds and then reports a lost connection. */
    private static DataSource commitAckLost(DataSource real, AtomicBoolean armed) {
        return commitAckLost(real, armed, new AtomicBoolean());
    }

    /** As {@link #commitAckLost(DataSource, AtomicBoolean)}; while {@code down}, no connection can be had. */
    private static DataSource commitAckLost(DataSource real, AtomicBoolean armed, AtomicBoolean down) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, args) -> {
                    if ("getConnection".equals(m.getName()) && down.get()) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    Object result = invoke(m, real, args);
                    if (!"getConnection".equals(m.getName())) {
                        return result;
                    }
                    Connection c = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (cp, cm, cargs) -> {
                                Object r = invoke(cm, c, cargs);
                                if ("commit".equals(cm.getName()) && armed.getAndSet(false)) {
                                    throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                                }
                                return r;
                            });
                });
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aRetryAfterAnUnacknowledgedCommitStoresNothingTwice() throws Exception {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1); // the schema and the agent are in place
        DataSource real = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        AtomicBoolean armed = new AtomicBoolean(true);
        FleetStore store = new FleetStore(commitAckLost(real, armed), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());

        List<Object> batch = new ArrayList<>();
        long t = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < 5; i++) {
            Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t + i);
            row.put("label", "n=" + i);
            batch.add(new FleetEvent("default", "sessions.changed", 100L + i, t + i,
                    FakeFleet.sessionsChanged(row, "patch", t + i)));
        }
        long before = count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'");
        assertThrows(SQLException.class, () -> store.persist(batch));
        assertEquals(before + 5, count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'"),
                "the first attempt did commit");

        List<SseMessage> pushed = store.persist(batch); // the route's retry, same batch
        assertEquals(before + 5, count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'"),
                "stored once");
        assertEquals(5, pushed.stream().filter(m -> "session.update".equals(m.event())).count());
        assertEquals(pushed.get(0).id(), ((Number) app.query("SELECT min(id) AS id FROM event_log WHERE seq = 100").get(0)
                .get("id")).longValue(), "pushed with the ids it was stored under");
    }

    @Test
    void aRetryThatFindsTheDatabaseStillDownDoesNotForgetTheUnacknowledgedCommit() throws Exception {
        fleet.agents(1).sessions(1, 1_000);
        startSynced(1);
        DataSource real = app.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicBoolean down = new AtomicBoolean();
        FleetStore store = new FleetStore(commitAckLost(real, armed, down),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        List<Object> batch = new ArrayList<>();
        long t = System.currentTimeMillis() + 60_000;
        for (int i = 0; i < 5; i++) {
            Map<String, Object> row = FakeFleet.session("agent:main:s0", "main", t + i);
            row.put("label", "m=" + i);
            batch.add(new FleetEvent("default", "sessions.changed", 200L + i, t + i,
                    FakeFleet.sessionsChanged(row, "patch", t + i)));
        }
        long before = count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'");
        assertThrows(SQLException.class, () -> store.persist(batch)); // committed, acknowledgement lost
        down.set(true);
        assertThrows(SQLException.class, () -> store.persist(batch)); // the retry cannot even ask
        down.set(false);

        List<SseMessage> pushed = store.persist(batch); // the next retry
        assertEquals(before + 5, count("SELECT count(*) FROM event_log WHERE event = 'sessions.changed'"),
                "stored once");
        assertEquals(5, pushed.stream().filter(m -> "session.update".equals(m.event())).count());
    }
}
