package io.controlcenter.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The SSE message each event-log row becomes: what a dashboard receives live and again on replay. */
class FleetMessagesTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aDeletedSessionBecomesASessionUpdateMarkedGone() {
        for (String reason : List.of("delete", "deleted")) {
            FleetMessages.Message m = FleetMessages.of("gw", "sessions.changed",
                    map("sessionKey", "agent:main:s1", "reason", reason, "ts", 5L));
            assertEquals(FleetMessages.SESSION_UPDATE, m.event());
            assertEquals(true, m.data().get("gone"), reason);
            assertEquals(reason, m.data().get("reason"));
            assertEquals("agent:main:s1", m.data().get("key"));
            assertEquals("agent:main:s1", m.sessionKey(), "sent to the session's subscribers");
            assertEquals("gw", m.data().get("gateway"));
        }
    }

    @Test
    void aChangedSessionShowsTheRowItCarries() {
        Map<String, Object> session = map("key", "agent:main:s1", "agentId", "main", "label", "Docs",
                "hasActiveRun", true, "status", "running");
        FleetMessages.Message m = FleetMessages.of("gw", "sessions.changed",
                map("sessionKey", "agent:main:s1", "reason", "patch", "session", session,
                        "ancestorSessions", List.of()));
        assertEquals(FleetMessages.SESSION_UPDATE, m.event());
        assertEquals(false, m.data().get("gone"));
        assertEquals("main", m.data().get("agentId"));
        assertEquals("Docs", m.data().get("label"));
        assertEquals("running", m.data().get("status"));
        assertEquals(true, m.data().get("hasActiveRun"));
        assertEquals(List.of(), m.data().get("activeRunIds"));
    }

    @Test
    void aFlatSessionsChangedPayloadIsItsOwnRow() {
        FleetMessages.Message m = FleetMessages.of("gw", "sessions.changed",
                map("sessionKey", "agent:ops:s2", "reason", "patch", "agentId", "ops", "label", "Flat"));
        assertEquals("agent:ops:s2", m.data().get("key"));
        assertEquals("ops", m.data().get("agentId"));
        assertEquals("Flat", m.data().get("label"));
        assertEquals(false, m.data().get("hasActiveRun"));
    }

    @Test
    void messagesControlCenterWroteAreReplayedAsTheyWerePushed() {
        Map<String, Object> card = map("gateway", "gw", "id", "main", "status", "working");
        for (String event : List.of(FleetMessages.AGENT_UPDATE, FleetMessages.FLEET_UPDATE,
                FleetMessages.GATEWAY_STATUS)) {
            FleetMessages.Message m = FleetMessages.of("gw", event, card);
            assertEquals(event, m.event());
            assertSame(card, m.data());
            assertNull(m.sessionKey(), "to every dashboard");
        }
        Map<String, Object> sessionCard = map("gateway", "gw", "key", "agent:main:s1", "gone", true);
        assertEquals("agent:main:s1", FleetMessages.of("gw", FleetMessages.SESSION_UPDATE, sessionCard).sessionKey());
    }

    @Test
    void aChatEventGoesToItsSessionAsStored() {
        Map<String, Object> chat = map("runId", "r1", "sessionKey", "agent:main:s1", "state", "delta",
                "deltaText", "Hi");
        FleetMessages.Message m = FleetMessages.of("gw", "chat", chat);
        assertEquals(FleetMessages.CHAT, m.event());
        assertSame(chat, m.data());
        assertEquals("agent:main:s1", m.sessionKey());
    }

    @Test
    void presenceBecomesAPresenceUpdateOfTheGateway() {
        List<Object> entries = List.of(map("instanceId", "i1", "mode", "ui"));
        FleetMessages.Message m = FleetMessages.of("gw", "presence", map("presence", entries));
        assertEquals(FleetMessages.PRESENCE_UPDATE, m.event());
        assertEquals(map("gateway", "gw", "presence", entries), m.data());
        assertEquals(List.of(), FleetMessages.of("gw", "presence", map()).data().get("presence"), "no list: empty");
    }

    @Test
    void healthShowsAConnectedGateway() {
        FleetMessages.Message m = FleetMessages.of("gw", "health", map("ok", true, "ts", 7L, "defaultAgentId", "main"));
        assertEquals(FleetMessages.GATEWAY_STATUS, m.event());
        assertEquals("connected", m.data().get("state"));
        assertEquals(Map.of("ok", true, "ts", 7L, "defaultAgentId", "main"), m.data().get("health"));
    }

    @Test
    void shutdownShowsAStoppingGatewayAndWhenItReturns() {
        FleetMessages.Message m = FleetMessages.of("gw", "shutdown",
                map("reason", "update", "restartExpectedMs", 3000));
        assertEquals(FleetMessages.GATEWAY_STATUS, m.event());
        assertEquals(map("gateway", "gw", "state", "stopping", "reason", "update", "restartExpectedMs", 3000),
                m.data());
    }

    @Test
    void eventsDashboardsDoNotGetBecomeNoMessage() {
        assertNull(FleetMessages.of("gw", "config.changed", map("path", "agents")));
        assertNull(FleetMessages.of("gw", "tick", map("ts", 1L)));
    }

    @Test
    void aPresenceEntryIsKeptUnderItsInstanceElseItsDeviceOrClient() {
        assertEquals("instanceId:i1",
                FleetMessages.presenceKey(map("instanceId", "i1", "deviceId", "d1", "host", "h")));
        assertEquals("deviceId:d1", FleetMessages.presenceKey(map("deviceId", "d1", "clientId", "c1")));
        assertEquals("clientId:c1", FleetMessages.presenceKey(map("clientId", "c1", "host", "h")));
        assertEquals("host:h", FleetMessages.presenceKey(map("host", "h")));
        assertNotEquals(FleetMessages.presenceKey(map("mode", "a")), FleetMessages.presenceKey(map("mode", "b")));
    }
}
