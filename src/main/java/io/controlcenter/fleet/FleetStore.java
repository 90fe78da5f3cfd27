package io.controlcenter.fleet;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

import javax.sql.DataSource;

import io.controlcenter.ops.Meters;
import io.controlcenter.sse.SseMessage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Writes the fleet to PostgreSQL (bean {@code fleetStore}): each batch of fleet events and sync snapshots in one
 * transaction ({@link FleetBatch}: state tables, then the event log), then returns the SSE messages to push, each with
 * the id of its event-log row; a retry after a commit whose acknowledgement was lost returns what that commit stored.
 * Ordering is explicit: every session row carries the gateway's clock of its data and older data never overwrites
 * newer, whichever arrives last; a sync marks what it did not see as gone. Reads go to {@link AgentCards} and
 * {@link EventLog}.
 */
public class FleetStore {

    /** With several instances: the {@code NOTIFY} channel of the id range {@code first-last} each committed batch stored. */
    public static final String COMMITS_CHANNEL = EventLog.CHANNEL;

    private final DataSource dataSource;
    private final AgentCards cards;
    private final AgentUpdates updates = new AgentUpdates();
    private final EventLog eventLog;
    /** Only the single fleet-batch route thread calls {@link #persist}. */
    private Attempt attempt;

    private final Timer committed;
    private final Timer failed;
    private final DistributionSummary batchSizes;

    public FleetStore(DataSource dataSource, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.cards = new AgentCards(dataSource);
        this.eventLog = new EventLog(dataSource, cards);
        String name = Meters.PREFIX + "db.batch";
        this.committed = Timer.builder(name).tag("outcome", "committed")
                .description("Transactions that stored a batch of fleet events: time from connection to commit")
                .register(meters);
        this.failed = Timer.builder(name).tag("outcome", "failed")
                .description("Transactions that stored a batch of fleet events: time from connection to commit")
                .register(meters);
        this.batchSizes = DistributionSummary.builder(name + ".size")
                .description("Fleet events and snapshots stored per transaction").register(meters);
    }

    /** The batch whose commit is under way, with what it will push: kept until the commit is known to have failed. */
    private record Attempt(List<Object> items, UUID token, List<SseMessage> messages,
                           Map<AgentKey, Map<String, Object>> cards, AgentActivity.Pending activity) {
    }

    /**
     * Persists a batch in one transaction and returns what to push, in order; nothing is pushed unless committed.
     * Called again with the same batch after a failure (the route retries), it first asks whether the failed attempt
     * did commit (the connection can drop while the commit is acknowledged): then it returns that attempt's messages
     * instead of storing the batch twice.
     */
    public List<SseMessage> persist(List<Object> items) throws SQLException {
        Attempt previous = attempt;
        // asked while the database may still be down: the attempt stays known until the answer is known
        if (previous != null && previous.items == items && committed(previous.token)) {
            attempt = null;
            cards.committed(previous.activity);
            updates.pushed(previous.cards);
            return previous.messages;
        }
        attempt = null;
        long started = System.nanoTime();
        try (Connection c = cards.connection()) {
            c.setAutoCommit(false);
            try {
                // stored with the batch's event-log rows, in the same statement: how a retry knows it committed
                UUID token = UUID.randomUUID();
                FleetBatch batch = new FleetBatch(c, cards, updates, eventLog, token);
                for (Object item : items) {
                    batch.add(item);
                }
                List<SseMessage> messages = batch.finish();
                attempt = new Attempt(items, token, messages, batch.pushedCards(), batch.written());
                cards.commit(c, batch.written());
                attempt = null;
                updates.pushed(batch.pushedCards());
                committed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                batchSizes.record(items.size());
                return messages;
            } catch (SQLException | RuntimeException e) {
                updates.uncompared();
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the transaction ended with it
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            failed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    private boolean committed(UUID token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM persisted_batches WHERE token = ?")) {
            ps.setObject(1, token);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Agent cards are compared (and agent.update pushed) at most every {@code interval} ms while more events wait
     * ({@code moreQueued}); 0: after every batch.
     */
    public void setAgentUpdateInterval(long intervalMs, BooleanSupplier moreQueued) {
        updates.setInterval(intervalMs, moreQueued);
    }

    /**
     * Records which gateways are configured: each one present (again), every other one removed since now, with its
     * history kept. Returns the gateways newly removed.
     */
    public List<String> configured(List<String> gateways) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement present = c.prepareStatement("INSERT INTO gateways (name) SELECT unnest(CAST(? AS text[])) "
                     + "ON CONFLICT (name) DO UPDATE SET removed_at = NULL");
             PreparedStatement removed = c.prepareStatement("UPDATE gateways SET removed_at = now() "
                     + "WHERE removed_at IS NULL AND name <> ALL(CAST(? AS text[])) RETURNING name")) {
            Array names = c.createArrayOf("text", gateways.toArray());
            present.setArray(1, names);
            present.executeUpdate();
            removed.setArray(1, names);
            List<String> gone = new ArrayList<>();
            try (ResultSet rs = removed.executeQuery()) {
                while (rs.next()) {
                    gone.add(rs.getString(1));
                }
            }
            return gone;
        }
    }

    /** Agent cards for GET /api/agents: the live agents of {@code gateways} in that order, gone ones too when asked. */
    public List<Map<String, Object>> agents(List<String> gateways, String includeGone) throws SQLException {
        return cards.agents(gateways, includeGone);
    }

    /** One agent's card, gone or not; null when the gateway never listed it. */
    public Map<String, Object> agent(String gateway, String agentId) throws SQLException {
        return cards.agent(gateway, agentId);
    }

    /** Last-Event-ID replay: up to {@code limit} messages after {@code lastId}, as they were pushed. */
    public List<SseMessage> since(long lastId, int limit) {
        return eventLog.since(lastId, limit);
    }

    /** Up to {@code limit} messages with ids after {@code afterId} and up to {@code upToId}, as they were pushed. */
    public List<SseMessage> between(long afterId, long upToId, int limit) {
        return eventLog.between(afterId, upToId, limit);
    }

    /** The id of the newest event-log row (0: none). */
    public long lastEventId() throws SQLException {
        return eventLog.lastId();
    }

    /**
     * Several instances share this database: of {@code gateways}, which sessions this instance writes (a term per
     * gateway that changes whenever it begins to lead it, -1 while another does), and the event log's ids are
     * committed in order and announced ({@link EventLog#CHANNEL}); a writer frozen for {@code pauseLimitMs} with the
     * order lock loses its transaction.
     */
    public void shareWith(List<String> gateways, ToLongFunction<String> terms, long pauseLimitMs) {
        cards.setTerms(gateways, terms);
        eventLog.announceCommits(pauseLimitMs);
    }

    /** One instance: it writes every one of {@code gateways}. */
    public void writeAlone(List<String> gateways) {
        cards.setTerms(gateways, gateway -> 0);
    }

    /** What a dashboard that connects without Last-Event-ID gets first: each gateway's fleet, with the newest event-log id. */
    public List<SseMessage> snapshot(List<String> gateways) {
        return eventLog.snapshot(gateways);
    }

    /** Deletes event-log rows older than the retention ({@code fleet.event-log.retention}); returns how many. */
    public int pruneEventLog(String retention) throws SQLException {
        return eventLog.prune(retention);
    }
}
