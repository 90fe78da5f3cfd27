package io.controlcenter.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.ControlCenterApp;
import io.controlcenter.support.FakeGateway;
import io.controlcenter.support.GatewayTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the routes in routes/gateway.yaml see: every event once, in order; gaps become resync requests. */
class EventSequenceTest extends GatewayTestSupport {

    private MockEndpoint events;
    private MockEndpoint lifecycle;

    @BeforeEach
    void connect() {
        start();
        events = app.tap("gateway-events-default");
        lifecycle = app.tap("gateway-lifecycle-default");
        awaitConnected();
    }

    private static long seq(Exchange e) {
        return e.getMessage().getHeader(OpenClawConstants.SEQ, Long.class);
    }

    @Test
    void eventsAreHandledOnceInArrivalOrder() throws Exception {
        int n = 5000;
        FakeGateway.Conn conn = gateway.last();
        for (int i = 0; i < n; i++) {
            conn.event("sessions.changed", Map.of("sessionKey", "agent:main:s" + i, "i", i));
        }
        await("all events routed", Duration.ofSeconds(20), () -> sessionEvents().size() >= n);
        List<Exchange> got = sessionEvents();
        assertEquals(n, got.size());
        for (int i = 1; i < got.size(); i++) {
            assertEquals(seq(got.get(i - 1)) + 1, seq(got.get(i)), "event " + i + " out of order");
            assertEquals(i, ((Map<?, ?>) got.get(i).getMessage().getBody(Map.class).get("payload")).get("i"));
        }
        assertEquals(0L, app.statusCount("seqGaps"));
    }

    private List<Exchange> sessionEvents() {
        return events.getExchanges().stream()
                .filter(e -> "sessions.changed".equals(e.getMessage().getHeader(OpenClawConstants.EVENT))).toList();
    }

    @Test
    void aResponseIsHandledBetweenTheEventsAroundIt() throws Exception {
        MockEndpoint frames = app.tap("gateway-frames-default"); // restarts the consumer, and so the connection
        await("connected again", Duration.ofSeconds(5), () -> gateway.connections.size() == 2
                && app.client().getGatewayState() == GatewayState.CONNECTED);
        gateway.method("mark", (conn, req) -> {
            conn.event("before", Map.of());
            conn.respond(req.get("id"), Map.of("marked", true));
            conn.event("after", Map.of());
        });
        assertEquals(Map.of("marked", true), app.call("mark", Map.of()));
        await("after routed", Duration.ofSeconds(5), () -> frames.getExchanges().stream()
                .anyMatch(e -> "after".equals(e.getMessage().getHeader(OpenClawConstants.EVENT))));
        List<String> order = frames.getExchanges().stream()
                .map(e -> e.getMessage().getHeader(OpenClawConstants.FRAME_TYPE) + ":"
                        + e.getMessage().getHeader(OpenClawConstants.EVENT))
                .filter(s -> s.startsWith("event:before") || s.startsWith("res") || s.startsWith("event:after")).toList();
        assertEquals(List.of("event:before", "res:null", "event:after"), order);
    }

    @Test
    void aSeqGapRequestsAResyncAndANewSocketStartsAgain() throws Exception {
        FakeGateway.Conn conn = gateway.last(); // health was seq 1
        conn.event("presence", Map.of("presence", List.of()));          // 2
        conn.event("presence", Map.of("presence", List.of()));          // 3
        conn.event("presence", Map.of("presence", List.of()), 7);       // 4..6 lost
        conn.event("presence", Map.of("presence", List.of()));          // 8

        await("resync requested", Duration.ofSeconds(5), () -> lifecycle.getExchanges().stream()
                .anyMatch(e -> OpenClawConstants.LIFECYCLE_RESYNC.equals(e.getMessage().getHeader(OpenClawConstants.EVENT))));
        Exchange resync = lifecycle.getExchanges().stream()
                .filter(e -> OpenClawConstants.LIFECYCLE_RESYNC.equals(e.getMessage().getHeader(OpenClawConstants.EVENT)))
                .findFirst().orElseThrow();
        assertEquals(Map.of("expected", 4L, "received", 7L), resync.getMessage().getBody(Map.class));
        assertEquals(1L, app.statusCount("seqGaps"));

        conn.close(1012, "service restart");
        await("reconnected", Duration.ofSeconds(5), () -> gateway.connections.size() == 2
                && app.client().getGatewayState() == GatewayState.CONNECTED);
        gateway.last().event("presence", Map.of("presence", List.of())); // seq 2 on the new socket: no gap
        await("event on new socket", Duration.ofSeconds(5), () -> events.getExchanges().stream()
                .anyMatch(e -> gateway.last().connId.equals(e.getMessage().getHeader(OpenClawConstants.CONN_ID)) && seq(e) == 2));
        assertEquals(1L, app.statusCount("seqGaps"));

        List<Object> names = lifecycle.getExchanges().stream()
                .map(e -> e.getMessage().getHeader(OpenClawConstants.EVENT)).toList();
        // the first connection's gateway.connected may have come before the tap
        assertEquals(List.of("gateway.resync", "gateway.disconnected", "gateway.connected"),
                names.subList(names.indexOf("gateway.resync"), names.size()));
        assertEquals(1, names.stream().filter(OpenClawConstants.LIFECYCLE_RESYNC::equals).count(),
                "one gap, one resync: the new socket's own sequence is no gap");
    }

    @Test
    void aSeqAtTheLargestNumberIsOneGapAndNothingAfterIt() {
        FakeGateway.Conn conn = gateway.last(); // health was seq 1
        conn.event("presence", Map.of("presence", List.of()), Long.MAX_VALUE); // one gap
        conn.event("presence", Map.of("presence", List.of()), Long.MAX_VALUE); // repeated: no gap
        conn.event("presence", Map.of("presence", List.of()), 5);              // lower: no gap
        conn.event("last", Map.of(), Long.MAX_VALUE);
        await("all routed", Duration.ofSeconds(5), () -> events.getExchanges().stream()
                .anyMatch(e -> "last".equals(e.getMessage().getHeader(OpenClawConstants.EVENT))));
        assertEquals(1L, app.statusCount("seqGaps"));
    }
}
