package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.controlcenter.chat.ChatRunWriter;
import io.controlcenter.db.TextArray;
import io.controlcenter.gateway.Json;
import io.controlcenter.sse.SseMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction's work: a batch's events, sync snapshots and session pages applied to the state tables (writes
 * batched per statement until something must see them), then the fleet.update and changed agent cards derived, and
 * everything appended to the event log last, with ids in order.
 */
final class FleetBatch {

    private static final Logger LOG = LoggerFactory.getLogger(FleetBatch.class);

    private final Connection c;
    private final AgentCards cards;
    private final AgentUpdates updates;
    private final EventLog eventLog;
    private final UUID token;
    private final SessionWrites sessions;
    private final StateWrites state;
    private final ChatRunWriter chatRuns = new ChatRunWriter();
    private final List<EventLog.Entry> log = new ArrayList<>();
    private final Map<String, Set<String>> touchedAgents = new LinkedHashMap<>();
    /** The cards this batch pushes: remembered as pushed once it commits. */
    private final Map<AgentKey, Map<String, Object>> pushed = new LinkedHashMap<>();

    /** {@code token}: stored with the batch ({@link EventLog#append}), so that a retry can tell whether it committed. */
    FleetBatch(Connection c, AgentCards cards, AgentUpdates updates, EventLog eventLog, UUID token) {
        this.c = c;
        this.token = token;
        this.cards = cards;
        this.updates = updates;
        this.eventLog = eventLog;
        this.sessions = new SessionWrites(c);
        this.state = new StateWrites(c);
        updates.attemptStarts();
    }

    /** Applies one item of the batch: a sync snapshot, a page of a sync's session rows, or an event. */
    void add(Object item) throws SQLException {
        if (item instanceof FleetSnapshot snapshot) {
            snapshot(snapshot);
        } else if (item instanceof FleetSnapshot.SessionsPage page) {
            listed(page.gateway(), page.rows(), "polling".equals(page.source()));
        } else {
            FleetEvent e = (FleetEvent) item;
            try {
                event(e);
            } catch (RuntimeException ex) {
                // a payload of unexpected shape must not cost the batch, and so the events around it
                LOG.warn("Gateway {}: {} event (seq {}) not applied, its payload is not as the protocol says: {}",
                        e.gateway(), e.event(), e.seq(), ex.toString());
            }
        }
    }

    /** The session rows this batch wrote, as its statements returned them. */
    AgentActivity.Pending written() {
        return sessions.written();
    }

    /** The agent cards this batch pushes (after {@link #finish}). */
    Map<AgentKey, Map<String, Object>> pushedCards() {
        return pushed;
    }

    private void event(FleetEvent e) throws SQLException {
        Map<String, Object> p = e.payload() == null ? Map.of() : e.payload();
        switch (e.event()) {
            case "sessions.changed" -> session(e.prepared() != null ? e.prepared().session()
                    : FleetEvent.sessionRow(e.gateway(), p, e.receivedAt()));
            case "chat" -> chat(e.gateway(), p, e.receivedAt());
            case "presence" -> {
                flush();
                state.presence(e.gateway(), p.get("presence"), e.receivedAt());
            }
            case "gateway.connected", "gateway.disconnected" -> {
                flush();
                lifecycle(e);
            }
            default -> {
                // health, shutdown, config.changed: logged; the message (if any) is derived from the payload
            }
        }
        if (!e.event().startsWith("gateway.")) {
            log.add(EventLog.Entry.of(e, p));
        }
    }

    private void snapshot(FleetSnapshot s) throws SQLException {
        flush();
        String gw = s.getGateway();
        long now = System.currentTimeMillis();
        boolean partial = "polling".equals(s.getSource());
        for (String id : state.agents(gw, s.getAgents(), partial, now)) {
            touch(gw, id);
        }
        if (s.isAgentsComplete()) {
            markGone("agents", gw, s.getStartedAt(), null);
        }
        if (!s.isAgentsOnly()) {
            listed(gw, s.getSessions(), partial);
            flush();
            markGone("sessions", gw, s.getStartedAt(), s.getListedKeys());
            if (s.getPresence() != null) {
                state.presence(gw, s.getPresence(), now);
            }
            state.synced(gw, s.getSource());
            log.add(EventLog.Entry.fleetUpdate(gw, now, s.getSource())); // data read after all writes
        }
    }

    /** Session rows of a sync, seen now. */
    private void listed(String gw, List<FleetSnapshot.Listed> rows, boolean partial) {
        long now = System.currentTimeMillis();
        for (FleetSnapshot.Listed l : rows) {
            session(SessionRow.listed(gw, l, now, partial));
        }
    }

    private void session(SessionRow row) {
        if (sessions.put(row)) {
            touch(row.gateway(), row.agentId());
        }
    }

    private void chat(String gw, Map<String, Object> p, long receivedAt) {
        String runState = Json.string(p, "state");
        String key = Json.string(p, "sessionKey");
        String agentId = Json.string(p, "agentId");
        if (runState == null || key == null) {
            return;
        }
        boolean active = "status".equals(runState) || "delta".equals(runState);
        String runId = Json.string(p, "runId");
        sessions.run(gw, key, agentId, active, runId, receivedAt);
        if (!active && agentId != null) {
            state.agentRun(runState, receivedAt, gw, agentId);
        }
        touch(gw, agentId);
        if (runId != null) {
            chatRuns.add(gw, runId, key, agentId, runState, !active, p, receivedAt);
        }
    }

    private void lifecycle(FleetEvent e) throws SQLException {
        boolean connected = "gateway.connected".equals(e.event());
        Map<String, Object> p = e.payload() == null ? Map.of() : e.payload();
        Map<String, Object> server = Json.map(p.get("server"));
        String gatewayState = connected ? "connected" : String.valueOf(p.getOrDefault("state", "disconnected"));
        state.gateway(e.gateway(), Json.string(p, "url"), gatewayState, Json.string(server, "version"),
                Json.string(server, "connId"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("gateway", e.gateway());
        data.put("state", gatewayState);
        if (connected) {
            data.put("serverVersion", Json.string(server, "version"));
            data.put("connId", Json.string(server, "connId"));
            data.put("protocol", p.get("protocol"));
        } else {
            data.put("code", p.get("code"));
            data.put("reason", p.get("reason"));
        }
        log.add(EventLog.Entry.own(e.gateway(), FleetMessages.GATEWAY_STATUS, e.receivedAt(), data));
        if (!connected) {
            // every card of the gateway turns offline: one fleet.update instead of an agent.update each
            log.add(EventLog.Entry.fleetUpdate(e.gateway(), e.receivedAt(), null));
        }
    }

    /**
     * Marks what a sync did not see as gone, in {@code table} (agents, sessions): rows not written since it started,
     * and, for sessions, not among the {@code listed} keys (an unchanged listed row is not written again). The keys go
     * in one array, looked up through a hash (NOT IN a subquery): 50,000 of them cost a few milliseconds.
     */
    private void markGone(String table, String gw, long startedAt, Set<String> listed) throws SQLException {
        boolean sessionRows = "sessions".equals(table);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET gone = true WHERE gateway = ? AND NOT gone AND seen_at < ?"
                + (listed == null ? "" : " AND session_key NOT IN (SELECT unnest(CAST(? AS text[])))")
                + (sessionRows ? AgentActivity.RETURNING : " RETURNING agent_id"))) {
            ps.setString(1, gw);
            ps.setTimestamp(2, new Timestamp(startedAt));
            if (listed != null) {
                ps.setObject(3, new TextArray(listed.toArray(new String[0])));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    touch(gw, rs.getString("agent_id"));
                    if (sessionRows) {
                        sessions.wrote(AgentActivity.Row.of(rs));
                    }
                }
            }
        }
    }

    private void touch(String gw, String agentId) {
        if (agentId != null) {
            touchedAgents.computeIfAbsent(gw, k -> new LinkedHashSet<>()).add(agentId);
        }
    }

    /** Writes the batched session, run and chat changes. */
    private void flush() throws SQLException {
        sessions.flush();
        state.flushAgentRuns();
        chatRuns.flush(c);
    }

    /** Flushes, derives fleet.update data and changed agent cards, writes the event log and returns the messages. */
    List<SseMessage> finish() throws SQLException {
        flush();
        Set<String> fleetUpdates = new LinkedHashSet<>();
        for (int i = 0; i < log.size(); i++) {
            EventLog.Entry row = log.get(i);
            if (FleetMessages.FLEET_UPDATE.equals(row.event())) {
                Map<String, Object> fleet = cards.fleet(c, row.gateway(), written());
                fleet.put("source", row.source());
                log.set(i, row.withPayload(fleet));
                fleetUpdates.add(row.gateway());
            }
        }
        // with a fleet.update every card is sent (and remembered below): no agent.update, no query per agent
        Map<String, Set<String>> due = fleetUpdates.isEmpty() ? updates.due(touchedAgents) : Map.of();
        for (Map.Entry<String, Set<String>> e : due.entrySet()) {
            for (Map<String, Object> card : cards.cards(c, e.getKey(), e.getValue(), written())) {
                AgentKey agent = new AgentKey(e.getKey(), (String) card.get("id"));
                if (updates.changed(agent, card)) {
                    pushed.put(agent, card);
                    log.add(EventLog.Entry.own(e.getKey(), FleetMessages.AGENT_UPDATE, System.currentTimeMillis(),
                            card));
                }
            }
        }
        // the fleet.update carries every card: remember them all as pushed
        for (String gw : fleetUpdates) {
            for (Map<String, Object> card : cards.cards(c, gw, null, written())) {
                pushed.put(new AgentKey(gw, (String) card.get("id")), card);
            }
        }
        return eventLog.append(c, log, token);
    }
}
