package io.controlcenter.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.controlcenter.support.ClusterInstances;
import io.controlcenter.support.ClusterInstances.Instance;
import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.FakeGateway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three instances ({@code java -jar}, the file cluster service) and two gateways: each gateway is held by exactly one
 * instance, by the gateway's own count of open sockets, at every moment: while all run, while the leader of one is
 * frozen (SIGSTOP: its lock stays held, nobody else connects), when it is killed ({@code kill -9}: another takes the
 * gateway within the lease and one connect, measured) and when it is stopped (SIGTERM: its connection is closed
 * before another instance takes over). Every instance names the same leader.
 */
@Tag("jar")
class OneConnectionPerGatewayIT {

    @TempDir
    Path dir;

    @Test
    void eachGatewayHasOneConnectionAtAnyTimeAndALeaderThatDiesIsReplaced() throws Exception {
        try (FakeGateway a = new FakeGateway().start(); FakeGateway b = new FakeGateway().start()) {
            new FakeFleet().agents(2).sessions(4, 1_000).install(a);
            new FakeFleet().agents(3).sessions(5, 1_000).install(b);
            try (ClusterInstances cluster = new ClusterInstances(dir, Map.of("CC_GATEWAYS", "default,lab",
                    "GATEWAY_WS_URL", a.url(), "OPENCLAW_GATEWAY_TOKEN", FakeGateway.TOKEN,
                    "GATEWAY_LAB_WS_URL", b.url(), "GATEWAY_LAB_TOKEN", FakeGateway.TOKEN))) {
                cluster.startReady(3);
                awaitOneConnection(a, b);
                Instance leaderA = awaitLeader(cluster, "default");
                awaitLeader(cluster, "lab");

                // frozen: its lock stays held, so no other instance connects, even once its heartbeat is stale
                int connectionsBefore = a.connections.size();
                leaderA.pause();
                Thread.sleep(3 * ClusterInstances.leaseMs());
                assertEquals(connectionsBefore, a.connections.size(), "nobody else connected while the leader froze");
                leaderA.resume();
                assertEquals(leaderA, awaitLeader(cluster, "default"), "the leader goes on after it resumes");
                awaitOneConnection(a, b);

                // killed: another instance takes the gateway within the lease and one connect
                long killedAt = System.nanoTime();
                leaderA.kill();
                await("a new connection to the gateway", Duration.ofSeconds(30),
                        () -> a.connections.size() > connectionsBefore && a.last().helloSent);
                long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.printf("Takeover after kill -9 of the leader: %d ms (lease %d ms)%n", takeoverMs,
                        ClusterInstances.leaseMs());
                assertTrue(takeoverMs <= ClusterInstances.leaseMs() + 5_000, "takeover took " + takeoverMs + " ms");
                Instance newLeaderA = awaitLeader(cluster, "default");
                assertNotEquals(leaderA, newLeaderA);

                // stopped: its connection closes before another takes the gateway
                Instance leaderB = cluster.leaderOf("lab");
                int connectionsOfB = b.connections.size();
                leaderB.app.close();
                await("lab taken over", Duration.ofSeconds(30),
                        () -> b.connections.size() > connectionsOfB && b.last().helloSent);
                assertNotEquals(leaderB, awaitLeader(cluster, "lab"));
                awaitOneConnection(a, b);
            }
            assertEquals(1, a.mostOpen.get(), "gateway default never saw two connections at once");
            assertEquals(1, b.mostOpen.get(), "gateway lab never saw two connections at once");
        }
    }

    private static void awaitOneConnection(FakeGateway a, FakeGateway b) {
        await("one connection to each gateway", Duration.ofSeconds(30), () -> a.open.get() == 1 && b.open.get() == 1
                && a.last().helloSent && b.last().helloSent);
    }

    /** The instance every live instance names as the gateway's leader, once they all name the same live one. */
    private static Instance awaitLeader(ClusterInstances cluster, String gateway) {
        Instance[] leader = new Instance[1];
        await("one leader of " + gateway + " named by every instance", Duration.ofSeconds(30), () -> {
            try {
                leader[0] = cluster.leaderOf(gateway);
                return leader[0] != null && leader[0].app.process.isAlive();
            } catch (AssertionError disagree) {
                return false;
            }
        });
        return leader[0];
    }
}
