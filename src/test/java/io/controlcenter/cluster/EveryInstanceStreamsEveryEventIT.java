package io.controlcenter.cluster;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.ClusterInstances;
import io.controlcenter.support.ClusterInstances.Instance;
import io.controlcenter.support.EventFeed;
import io.controlcenter.support.FakeChat;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.SseStream;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances ({@code java -jar}, the file cluster service), each leading one of two gateways, both gateways
 * streaming events at once (two writers of the event log): the dashboards of both instances receive every stored
 * event once, in the event log's order, with no id missing; a chat sent to the instance that does not lead the gateway
 * streams back on that instance; the leader is killed ({@code kill -9}) while both gateways stream: the other instance
 * takes the gateway over (measured), resyncs, and its dashboards see no gap; afterwards the database holds what the
 * gateways hold.
 */
@Tag("jar")
class EveryInstanceStreamsEveryEventIT {

    private static final String SESSION = "agent:main:s0";

    @TempDir
    Path dir;

    @Test
    void everyDashboardGetsEveryEventOnceInOrderAcrossATakeover() throws Exception {
        try (FakeGateway a = new FakeGateway().start(); FakeGateway b = new FakeGateway().start()) {
            FakeFleet fleetA = new FakeFleet().agents(2).sessions(3, 1_000).install(a);
            new FakeFleet().agents(2).sessions(3, 1_000).install(b);
            FakeChat chat = new FakeChat(a);
            try (ClusterInstances cluster = new ClusterInstances(dir, Map.of("CC_GATEWAYS", "default,lab",
                    "GATEWAY_WS_URL", a.url(), "OPENCLAW_GATEWAY_TOKEN", FakeGateway.TOKEN,
                    "GATEWAY_LAB_WS_URL", b.url(), "GATEWAY_LAB_TOKEN", FakeGateway.TOKEN))) {
                // cc-1 leads default, cc-2 lab: lab's lock is held until cc-2 is the only one that can take it
                AutoCloseable lab = cluster.holdLock("lab");
                Instance cc1 = cluster.start();
                cc1.awaitReady(Duration.ofSeconds(90));
                await("cc-1 leads default", Duration.ofSeconds(30), () -> "cc-1".equals(cc1.leaderOf("default")));
                Instance cc2 = cluster.start();
                cc2.awaitReady(Duration.ofSeconds(90));
                cc1.pause();
                lab.close();
                await("cc-2 leads lab", Duration.ofSeconds(30), () -> "cc-2".equals(cc2.leaderOf("lab")));
                cc1.resume();
                await("both gateways connected", Duration.ofSeconds(30), () -> a.open.get() == 1 && b.open.get() == 1
                        && a.last().helloSent && b.last().helloSent && a.last().methodsReceived().contains("sessions.list"));

                SseStream dashboard1 = cc1.stream("/api/events");
                SseStream dashboard2 = cc2.stream("/api/events");
                SseStream chatOn2 = cc2.stream("/api/events?session=agent:main:main");
                EventFeed feedA = new EventFeed(a.last(), 5, "a-").start();
                EventFeed feedB = new EventFeed(b.last(), 5, "b-").start();
                feedA.awaitMore(1_500);

                // a chat sent to cc-2, which does not lead default: cc-1 sends it, cc-2's dashboard gets the stream
                HttpResponse<String> sent = cc2.post("/api/sessions/agent:main:main/messages", "{\"message\":\"hi\"}");
                assertEquals(202, sent.statusCode(), sent.body());
                String runId = (String) Json.parseObject(sent.body()).get("runId");
                chat.run(runId).delta("Hel").delta("lo").finish("Hello");
                await("the run's final on cc-2", Duration.ofSeconds(10), () -> chatState(chatOn2, runId, "final") != null);
                Map<String, Object> last = chatState(chatOn2, runId, "final");
                assertEquals("Hello", last.get("text"));
                assertEquals(false, last.get("proactive"), "started through the API, on cc-2: not proactive");

                // cc-1 is killed while both gateways stream: cc-2 takes default over
                int connections = a.connections.size();
                long killedAt = System.nanoTime();
                cc1.kill();
                await("cc-2 connected to default", Duration.ofSeconds(30),
                        () -> a.connections.size() > connections && a.last().helloSent);
                long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.printf("Takeover after kill -9 while streaming: %d ms (lease %d ms)%n", takeoverMs,
                        ClusterInstances.leaseMs());
                assertTrue(takeoverMs <= ClusterInstances.leaseMs() + 5_000, "takeover took " + takeoverMs + " ms");
                int sentToDeadLeader = feedA.stop();
                EventFeed feedA2 = new EventFeed(a.last(), 5, "a2-").start();
                feedA2.awaitMore(1_500);
                int sentA2 = feedA2.stop();
                int sentB = feedB.stop();
                await("cc-2's dashboard has every event", Duration.ofSeconds(30),
                        () -> labels(dashboard2, "b-").size() == sentB && labels(dashboard2, "a2-").size() == sentA2);

                assertEquals(expectedLabels("b-", sentB), labels(dashboard2, "b-"), "lab's events on cc-2");
                assertEquals(expectedLabels("a2-", sentA2), labels(dashboard2, "a2-"), "default's after the takeover");
                List<String> beforeKill = labels(dashboard2, "a-");
                assertEquals(expectedLabels("a-", beforeKill.size()), beforeKill, "default's before the kill: in order, once");
                assertTrue(beforeKill.size() > 100 && beforeKill.size() <= sentToDeadLeader, beforeKill.size() + " of "
                        + sentToDeadLeader);
                System.out.printf("Dashboards: cc-1 %d messages until its kill, cc-2 %d; events sent: default %d + %d,"
                        + " lab %d%n", liveIds(dashboard1).size(), liveIds(dashboard2).size(), sentToDeadLeader, sentA2,
                        sentB);
                assertNoGap(dashboard1, cluster.database());
                assertNoGap(dashboard2, cluster.database());
                assertTrue(liveIds(dashboard1).size() > 300, "cc-1's dashboard got both gateways' events");

                // the database holds what the gateways hold: sessions, and the session's last update
                assertEquals(fleetA.sessions.keySet(), liveSessions(cluster.database(), "default"));
                assertEquals("a2-" + EventFeed.label(sentA2 - 1), label(cluster.database(), "default", SESSION));
                assertEquals("b-" + EventFeed.label(sentB - 1), label(cluster.database(), "lab", SESSION));
                assertFalse(dashboard2.ended, "cc-2's dashboard stayed connected through the takeover");
            }
            assertEquals(1, a.mostOpen.get(), "default never had two connections");
            assertEquals(1, b.mostOpen.get(), "lab never had two connections");
        }
    }

    /** The labels {@code prefix}n=0 .. n=count-1. */
    private static List<String> expectedLabels(String prefix, int count) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            labels.add(prefix + EventFeed.label(i));
        }
        return labels;
    }

    /** The labels starting with {@code prefix} of the session.update messages the dashboard received, in order. */
    private static List<String> labels(SseStream s, String prefix) {
        List<String> labels = new ArrayList<>();
        for (SseStream.Event e : List.copyOf(s.events)) {
            if ("session.update".equals(e.event())) {
                Object label = e.json().get("label");
                if (label instanceof String text && text.startsWith(prefix) && text.startsWith("n=", prefix.length())) {
                    labels.add(text);
                }
            }
        }
        return labels;
    }

    private static Map<String, Object> chatState(SseStream s, String runId, String state) {
        for (SseStream.Event e : List.copyOf(s.events)) {
            Map<String, Object> data = "chat".equals(e.event()) ? e.json() : Map.of();
            if (runId.equals(data.get("runId")) && state.equals(data.get("state"))) {
                return data;
            }
        }
        return null;
    }

    /** The ids of the messages after the snapshot a dashboard started with (one fleet.update per gateway). */
    private static List<Long> liveIds(SseStream s) {
        List<SseStream.Event> events = List.copyOf(s.events);
        assertEquals("fleet.update", events.get(0).event());
        long snapshot = events.get(0).idNumber();
        return events.stream().map(SseStream.Event::idNumber).filter(id -> id > snapshot).toList();
    }

    /**
     * The dashboard got every message of the event log after its snapshot up to its last one, once each and in id
     * order: the ids it received are exactly those of the rows dashboards get.
     */
    private static void assertNoGap(SseStream s, String database) throws SQLException {
        List<Long> ids = liveIds(s);
        long snapshot = s.events.get(0).idNumber();
        List<Long> stored = new ArrayList<>();
        try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement("SELECT id FROM event_log "
                + "WHERE id > ? AND id <= ? AND event NOT IN ('config.changed', 'tick') ORDER BY id")) {
            ps.setLong(1, snapshot);
            ps.setLong(2, ids.get(ids.size() - 1));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getLong(1));
                }
            }
        }
        assertEquals(stored, ids, "the dashboard's messages are the event log's, in order, none missing or twice");
    }

    private static java.util.Set<String> liveSessions(String database, String gateway) throws SQLException {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement(
                "SELECT session_key FROM sessions WHERE gateway = ? AND NOT gone")) {
            ps.setString(1, gateway);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private static String label(String database, String gateway, String key) throws SQLException {
        try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement(
                "SELECT data ->> 'label' FROM sessions WHERE gateway = ? AND session_key = ?")) {
            ps.setString(1, gateway);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(TestDatabase.url(database), TestDatabase.USER, TestDatabase.PASSWORD);
    }
}
