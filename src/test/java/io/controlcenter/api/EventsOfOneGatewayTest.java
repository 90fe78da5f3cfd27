package io.controlcenter.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.controlcenter.support.FakeFleet;
import io.controlcenter.support.SseStream;
import org.junit.jupiter.api.Test;

import static io.controlcenter.support.ControlCenterApp.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET /api/events?gateway=lab: lab's fleet.update and lab's changes, none of the default gateway's. */
class EventsOfOneGatewayTest extends TwoGatewaysTestSupport {

    @Test
    void aStreamOfOneGatewayGetsThatGatewaysMessagesOnly() {
        startBoth();
        SseStream labOnly = sse("/api/events?gateway=lab");
        SseStream all = sse("/api/events");
        await("each stream's first fleet.update", Duration.ofSeconds(5),
                () -> countEvents(labOnly, "fleet.update") == 1 && countEvents(all, "fleet.update") == 2);
        assertEquals(List.of("lab"), gateways(events(labOnly, "fleet.update")));
        assertEquals(List.of("default", "lab"), gateways(events(all, "fleet.update")));

        // the default gateway reconnects: its status and a new fleet.update go to the unfiltered stream only
        assertEquals(202, app.post("/api/gateways/default/reconnect").statusCode());
        await("default's fleet.update after its sync", Duration.ofSeconds(10), () -> {
            List<Object> states = events(all, "fleet.update").stream().filter(m -> "default".equals(m.get("gateway")))
                    .map(m -> m.get("state")).toList();
            return states.subList(1, states.size()).contains("connected");
        });
        // then a change on lab, pushed after them: the lab stream has it, and nothing of default's before it
        Map<String, Object> row = FakeFleet.session(SESSION, "main", 5_000);
        lab.last().event("sessions.changed", FakeFleet.sessionsChanged(row, "patch", 5_000));
        await("lab's session.update", Duration.ofSeconds(5), () -> countEvents(labOnly, "session.update") == 1);
        assertEquals(List.of("lab"), gateways(events(labOnly, "session.update")));
        for (SseStream.Event e : labOnly.events) {
            assertEquals("lab", json(e.data()).get("gateway"), e.toString());
        }
        assertEquals(1L, countEvents(labOnly, "fleet.update"));
    }

    private static List<Object> gateways(List<Map<String, Object>> messages) {
        return messages.stream().map(m -> m.get("gateway")).toList();
    }
}
