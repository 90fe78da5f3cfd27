package io.controlcenter.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.controlcenter.db.TextArray;
import io.controlcenter.gateway.Json;
import io.controlcenter.sse.SseMessage;
import org.apache.camel.util.TimeUtils;
import org.slf4j.LoggerFactory;

/**
 * The event log: a batch's rows appended in one statement with ids in order (each pushed message carries its row's
 * id), read back for Last-Event-ID replay exactly as pushed, pruned after the retention, and the fleet.update a
 * dashboard without Last-Event-ID starts from.
 */
final class EventLog {

    /**
     * A batch's event-log rows in one statement, which also allocates their ids: the arrays are unnested in order and
     * each row takes the sequence's next value as it is inserted, so ids follow the rows' order (one writer at a time:
     * the only writer, or the holder of the order lock). Returned ids are sorted to match them to the rows.
     */
    private static final String INSERT_EVENTS = """
            INSERT INTO event_log (id, gateway, event, seq, received_at, payload)
            SELECT nextval('event_log_id_seq'), u.gateway, u.event, u.seq,
                   TIMESTAMPTZ 'epoch' + u.received_ms * INTERVAL '1 millisecond', CAST(u.payload AS json)
            FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]),
                        CAST(? AS text[])) WITH ORDINALITY AS u(gateway, event, seq, received_ms, payload, n)
            ORDER BY u.n
            RETURNING id""";

    /** The batch's token: found after a lost acknowledgement, it says the batch committed ({@link FleetStore}). */
    private static final String INSERT_TOKEN = "INSERT INTO persisted_batches (token) VALUES (?)";

    /**
     * A row to append: {@code seq} is the gateway's (null for Control Center's own rows), {@code json} the payload's
     * JSON text when made already (gateway events: by the batcher's caller), else null; {@code source}, for a
     * fleet.update whose payload is read after the batch's writes: websocket or polling (null when a disconnect caused
     * it).
     */
    record Entry(String gateway, String event, Long seq, long receivedAt, Map<String, Object> payload, String json,
                 String source, FleetEvent.Prepared prepared) {

        /** A gateway event as received (with its message already made when the event was {@link FleetEvent#prepare}d). */
        static Entry of(FleetEvent e, Map<String, Object> payload) {
            return new Entry(e.gateway(), e.event(), e.seq(), e.receivedAt(), payload, e.payloadJson(), null,
                    e.prepared());
        }

        /** A message of Control Center's own ({@link FleetMessages#OWN_MESSAGES}). */
        static Entry own(String gateway, String event, long at, Map<String, Object> payload) {
            return new Entry(gateway, event, null, at, payload, null, null, null);
        }

        /** A fleet.update whose payload is read after all of the batch's writes ({@link #withPayload}). */
        static Entry fleetUpdate(String gateway, long at, String source) {
            return new Entry(gateway, FleetMessages.FLEET_UPDATE, null, at, null, null, source, null);
        }

        Entry withPayload(Map<String, Object> payload) {
            return new Entry(gateway, event, seq, receivedAt, payload, json, source, prepared);
        }
    }

    /** The channel of {@code NOTIFY}: the id range {@code first-last} of each committed batch, with several instances. */
    static final String CHANNEL = "cc_event_log";
    /** The key of the transaction-level advisory lock that orders the writers' id ranges. */
    private static final long ORDER_LOCK = 0x43435F4556454E54L; // "CC_EVENT"

    private final DataSource dataSource;
    private final AgentCards cards;
    /** With several writers (instances): how long one may hold the order lock idle; 0 with one. */
    private volatile long pauseLimitMs;

    EventLog(DataSource dataSource, AgentCards cards) {
        this.dataSource = dataSource;
        this.cards = cards;
    }

    /**
     * Several instances write this event log: each batch takes a transaction-level advisory lock just before its ids
     * are allocated, held until it commits, so ids are committed in id order whoever writes them (a reader never sees
     * id n+1 committed while n is still to come), and announces its ids with {@code NOTIFY} (delivered at commit, in
     * commit order). A writer that holds the lock idle for {@code pauseLimitMs} (it froze) loses its transaction.
     */
    void announceCommits(long pauseLimitMs) {
        this.pauseLimitMs = pauseLimitMs;
    }

    /**
     * Appends {@code entries} in {@code c}'s transaction, ids in order, and returns the messages they become; stores
     * the batch's {@code token} (persisted_batches) in the same statement: one round trip fewer per batch.
     */
    List<SseMessage> append(Connection c, List<Entry> entries, UUID token) throws SQLException {
        List<SseMessage> messages = new ArrayList<>();
        if (entries.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_TOKEN)) {
                ps.setObject(1, token);
                ps.executeUpdate();
            }
            return messages;
        }
        long pauseLimit = pauseLimitMs;
        if (pauseLimit > 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT set_config('idle_in_transaction_session_timeout', ?, true), pg_advisory_xact_lock(?)")) {
                ps.setString(1, pauseLimit + "ms");
                ps.setLong(2, ORDER_LOCK);
                ps.execute();
            }
        }
        int n = entries.size();
        String[] gateways = new String[n];
        String[] events = new String[n];
        Long[] seqs = new Long[n];
        Long[] received = new Long[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Entry row = entries.get(i);
            gateways[i] = row.gateway();
            events[i] = row.event();
            seqs[i] = row.seq();
            received[i] = row.receivedAt();
            payloads[i] = row.json() != null ? row.json() : Json.write(row.payload());
        }
        long[] ids = new long[n];
        try (PreparedStatement ps = c.prepareStatement("WITH batch AS (" + INSERT_TOKEN + ") " + INSERT_EVENTS)) {
            ps.setObject(1, token);
            // sent in the binary array format, not as escaped literals (Unnest#bind)
            ps.setObject(2, new TextArray(gateways));
            ps.setObject(3, new TextArray(events));
            ps.setObject(4, seqs);
            ps.setObject(5, received);
            ps.setObject(6, new TextArray(payloads));
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        Arrays.sort(ids);
        for (int i = 0; i < n; i++) {
            Entry row = entries.get(i);
            if (row.prepared() != null) {
                FleetMessages.Message m = row.prepared().message();
                messages.add(new SseMessage(ids[i], m.event(), row.prepared().messageJson(), row.gateway(),
                        m.sessionKey()));
                continue;
            }
            FleetMessages.Message m = message(row);
            if (m != null) {
                // a message whose data is the stored payload (chat, Control Center's own) is not written twice
                messages.add(m.data() == row.payload()
                        ? new SseMessage(ids[i], m.event(), payloads[i], row.gateway(), m.sessionKey())
                        : sse(ids[i], row.gateway(), m));
            }
        }
        if (pauseLimit > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                ps.setString(1, CHANNEL);
                ps.setString(2, ids[0] + "-" + ids[n - 1]);
                ps.execute();
            }
        }
        return messages;
    }

    /**
     * Up to {@code limit} messages after {@code lastId} (Last-Event-ID replay), rebuilt from the event log exactly as
     * they were pushed; rows dashboards don't get are skipped without ending the page early.
     */
    List<SseMessage> since(long lastId, int limit) {
        return between(lastId, Long.MAX_VALUE, limit);
    }

    /** Up to {@code limit} messages with ids after {@code afterId} and up to {@code upToId}, as {@link #since}. */
    List<SseMessage> between(long afterId, long upToId, int limit) {
        List<SseMessage> out = new ArrayList<>();
        long cursor = afterId;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, gateway, event, payload::text FROM event_log "
                     + "WHERE id > ? AND id <= ? ORDER BY id LIMIT ?")) {
            while (out.size() < limit) {
                int wanted = limit - out.size();
                int rows = 0;
                ps.setLong(1, cursor);
                ps.setLong(2, upToId);
                ps.setInt(3, wanted);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        cursor = rs.getLong(1);
                        FleetMessages.Message m = FleetMessages.of(rs.getString(2), rs.getString(3),
                                FleetMessages.stored(rs.getString(4)));
                        if (m != null) {
                            out.add(sse(cursor, rs.getString(2), m));
                        }
                    }
                }
                if (rows < wanted) {
                    break;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event log: " + e.getMessage(), e);
        }
        return out;
    }

    /** The id of the newest event-log row, 0 when there is none. */
    long lastId() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(id), 0) FROM event_log");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * What a dashboard that connects without Last-Event-ID gets first: a fleet.update per gateway, each with the id of
     * the newest event-log row, read in one consistent snapshot, so live messages after it continue exactly where it
     * ends.
     */
    List<SseMessage> snapshot(List<String> gateways) {
        try (Connection c = cards.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return cards.withoutCommits(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(id), 0) FROM event_log");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long lastId = rs.getLong(1);
                    List<SseMessage> fleets = new ArrayList<>();
                    for (String gateway : gateways) {
                        fleets.add(new SseMessage(lastId, FleetMessages.FLEET_UPDATE,
                                Json.write(cards.fleet(c, gateway, AgentActivity.Pending.NONE)), gateway, null));
                    }
                    c.commit();
                    return fleets;
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the fleet: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes event-log rows older than the retention ({@code fleet.event-log.retention}) and returns how many; the
     * {@code persisted_batches} tokens as old go too (a token is looked up only by the retry of its own batch).
     */
    int prune(String retention) throws SQLException {
        long ms = TimeUtils.toMilliSeconds(retention);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM event_log WHERE received_at < ?");
             PreparedStatement tokens = c.prepareStatement("DELETE FROM persisted_batches WHERE stored_at < ?")) {
            Timestamp cutoff = Timestamp.from(Instant.now().minusMillis(ms));
            tokens.setTimestamp(1, cutoff);
            tokens.executeUpdate();
            ps.setTimestamp(1, cutoff);
            return ps.executeUpdate();
        }
    }

    private static SseMessage sse(long id, String gateway, FleetMessages.Message m) {
        return new SseMessage(id, m.event(), Json.write(m.data()), gateway, m.sessionKey());
    }

    /** The message a row becomes; none, and the row stored all the same, when its payload is of unexpected shape. */
    private static FleetMessages.Message message(Entry row) {
        try {
            return FleetMessages.of(row.gateway(), row.event(), row.payload());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(EventLog.class).warn("Gateway {}: {} event (seq {}) stored but not pushed, its"
                    + " payload is not as the protocol says: {}", row.gateway(), row.event(), row.seq(), e.toString());
            return null;
        }
    }
}
