package io.controlcenter.cluster;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import io.controlcenter.gateway.Json;
import io.controlcenter.support.ClusterInstances;
import io.controlcenter.support.ClusterInstances.Instance;
import io.controlcenter.support.GatewaySockets;
import io.controlcenter.support.RealGateway;
import io.controlcenter.support.SseStream;
import io.controlcenter.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances ({@code java -jar}, the file cluster service) against the real OpenClaw gateway (mock model): the
 * gateway holds exactly one connection from them, the leader's (its established sockets, counted by the kernel every
 * 100 ms for the whole test, since the gateway lists no backend client in its presence); a chat sent to the follower
 * is sent by the leader and streams back on the follower; the leader killed ({@code kill -9}): the other instance
 * connects within the lease and one connect (measured), and a chat sent to it streams; the database then holds the
 * sessions the gateway lists ({@code openclaw gateway call sessions.list}), each run stored once.
 */
@Tag("real-gateway")
@Tag("jar")
class RealGatewayFailoverIT {

    private static final String MOCK_REPLY = "Hello from the mock model.";

    @TempDir
    Path dir;

    @Test
    void oneConnectionToTheRealGatewayAndTheFollowerTakesOverAfterAKill() throws Exception {
        try (RealGateway gateway = RealGateway.notStartedWithMockModel("cc-" + UUID.randomUUID());
             ClusterInstances cluster = new ClusterInstances(dir, Map.of("GATEWAY_WS_URL", gateway.url(),
                     "OPENCLAW_GATEWAY_TOKEN", gateway.token()));
             GatewaySockets sockets = new GatewaySockets(gateway.port())) {
            // the instances start while the gateway does (they retry until it is up)
            List<Instance> both = List.of(cluster.start(), cluster.start());
            both.forEach(i -> sockets.watch(i.app.process.pid()));
            gateway.resume();
            both.forEach(i -> i.awaitReady(Duration.ofSeconds(90)));
            Instance leader = awaitLeader(cluster, null);
            Instance follower = both.get(0) == leader ? both.get(1) : both.get(0);
            await("the leader's one connection", Duration.ofSeconds(30),
                    () -> sockets.byPid().equals(Map.of(leader.app.process.pid(), 1)));
            await("the three agents on the follower", Duration.ofSeconds(30), () -> {
                String agents = follower.get("/api/agents");
                return agents.contains("\"main\"") && agents.contains("\"ops\"") && agents.contains("\"research\"");
            });

            // a chat sent to the follower: the leader sends it, the follower's dashboard gets the mock model's reply
            String first = chat(follower, "agent:main:main", "hi from the follower");

            long killedAt = System.nanoTime();
            leader.kill();
            await("the follower connected", Duration.ofSeconds(30),
                    () -> sockets.byPid().equals(Map.of(follower.app.process.pid(), 1))
                            && follower.id.equals(follower.leaderOf("default"))
                            && follower.get("/api/gateways").contains("\"connected\""));
            long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("Real gateway: takeover after kill -9 of the leader %d ms (lease %d ms)%n", takeoverMs,
                    ClusterInstances.leaseMs());
            assertTrue(takeoverMs <= ClusterInstances.leaseMs() + 5_000, "takeover took " + takeoverMs + " ms");
            assertNotEquals(leader, awaitLeader(cluster, follower));

            // the new leader carries on: a chat on another session streams, and the database holds the gateway's sessions
            String second = chat(follower, "agent:ops:main", "hi after the takeover");
            Set<String> onGateway = gatewaySessions(gateway);
            assertTrue(onGateway.containsAll(Set.of("agent:main:main", "agent:ops:main")), String.valueOf(onGateway));
            await("the database holds the gateway's sessions", Duration.ofSeconds(15),
                    () -> onGateway.equals(storedSessions(cluster.database())));
            for (String run : List.of(first, second)) {
                assertEquals(1, count(cluster.database(), "SELECT count(*) FROM chat_runs WHERE run_id = ?", run),
                        "run " + run + " stored once");
            }
            assertEquals(1, sockets.mostAtOnce(), "the gateway never had two connections from Control Center: "
                    + sockets.history());
            System.out.printf("Real gateway: connections sampled %d times, at most %d at once%n", sockets.samples(),
                    sockets.mostAtOnce());
        }
    }

    /** Sends {@code message} to {@code session} on {@code instance} and waits for the mock model's reply on its SSE. */
    private static String chat(Instance instance, String session, String message) throws IOException {
        try (SseStream stream = instance.stream("/api/events?session=" + session)) {
            String key = UUID.randomUUID().toString();
            HttpResponse<String> sent = instance.post("/api/sessions/" + session + "/messages",
                    Json.write(Map.of("message", message, "idempotencyKey", key)));
            assertEquals(202, sent.statusCode(), sent.body());
            String runId = (String) Json.parseObject(sent.body()).get("runId");
            long t0 = System.nanoTime();
            await(runId + " final on " + instance, Duration.ofSeconds(60), () -> finalText(stream, runId) != null);
            System.out.printf("Real gateway: chat on %s (%s) to the final on its SSE: %d ms%n", instance, session,
                    (System.nanoTime() - t0) / 1_000_000);
            assertEquals(MOCK_REPLY, finalText(stream, runId));
            return runId;
        }
    }

    private static String finalText(SseStream s, String runId) {
        for (SseStream.Event e : List.copyOf(s.events)) {
            if ("chat".equals(e.event())) {
                Map<String, Object> data = parse(e.data());
                if (runId.equals(data.get("runId")) && "final".equals(data.get("state"))) {
                    return String.valueOf(data.get("text"));
                }
            }
        }
        return null;
    }

    /** The instance every live instance names as the leader of default, once they agree on a live one. */
    private static Instance awaitLeader(ClusterInstances cluster, Instance expected) {
        Instance[] leader = new Instance[1];
        await("one leader named by every instance", Duration.ofSeconds(30), () -> {
            try {
                leader[0] = cluster.leaderOf("default");
                return leader[0] != null && leader[0].app.process.isAlive() && (expected == null || expected == leader[0]);
            } catch (AssertionError disagree) {
                return false;
            }
        });
        return leader[0];
    }

    /** The session keys the gateway lists, by its own CLI. */
    @SuppressWarnings("unchecked")
    private static Set<String> gatewaySessions(RealGateway gateway) {
        String out = gateway.cli("gateway", "call", "sessions.list", "--json");
        Map<String, Object> list = parse(out.substring(out.indexOf('{')));
        Set<String> keys = new TreeSet<>();
        for (Object s : (List<Object>) list.get("sessions")) {
            keys.add((String) ((Map<String, Object>) s).get("key"));
        }
        return keys;
    }

    private static Set<String> storedSessions(String database) {
        Set<String> keys = new TreeSet<>();
        try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement(
                "SELECT session_key FROM sessions WHERE gateway = 'default' AND NOT gone");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return keys;
    }

    private static long count(String database, String sql, String arg) throws SQLException {
        try (Connection c = connect(database); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(TestDatabase.url(database), TestDatabase.USER, TestDatabase.PASSWORD);
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.parseObject(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
