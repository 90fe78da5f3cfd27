package io.controlcenter.chat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.controlcenter.gateway.Json;
import io.controlcenter.gateway.OpenClawConstants;
import io.controlcenter.ops.Meters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the gateway's {@code chat} events into what is stored and pushed, once each, in order.
 * <ul>
 *   <li>Duplicates are dropped: a (runId, seq, state) already seen, any event after the run's first terminal state
 *       (final, aborted, error: the real gateway sends two {@code error} events for one failed run), and late events
 *       of a finished run for {@code cooldownMs} after it ended.</li>
 *   <li>A delta or status older (by the run's seq) than one already applied is dropped: the cumulative text of the
 *       newer one already holds it.</li>
 *   <li>Each event gets the increment ({@code deltaText}, derived from the cumulative message when absent;
 *       {@code replace} honoured) and the full {@code text} so far; a final's text is its message, never the sum of
 *       the deltas.</li>
 *   <li>A run Control Center did not start (cron, heartbeat, another client) is marked {@code proactive}.</li>
 * </ul>
 * Runs on the gateway consumer's thread and the reconcile route's, so it is decided once per event, before it is
 * queued; a database retry later never sees it twice. Each gateway's runs are kept apart under a lock of their own: a
 * gateway's events wait only for that gateway's.
 */
@ManagedResource(description = "Chat events: duplicates dropped, runs tracked")
public class ChatTracker extends ServiceSupport {

    public static final String STARTED_BY_US = "control-center";
    static final Set<String> TERMINAL = Set.of("final", "aborted", "error");
    private static final Logger LOG = LoggerFactory.getLogger(ChatTracker.class);

    private final long ttlMs;
    private final long cooldownMs;
    private final LongSupplier clock;
    /** Each gateway's runs. */
    private final Map<String, Runs> byGateway = new ConcurrentHashMap<>();
    /** Runs started from the API whose first event has not been seen yet: gateway + run id, and since when. */
    private final Map<RunKey, Long> expectedRuns = new ConcurrentHashMap<>();
    /** Injects under way, per gateway + session key: chat.inject's event carries a run id we cannot know before. */
    private final Map<SessionKey, Deque<Long>> expectedInjects = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong proactiveRuns = new AtomicLong();

    public ChatTracker(long ttlMs, long cooldownMs) {
        this(ttlMs, cooldownMs, System::currentTimeMillis);
    }

    ChatTracker(long ttlMs, long cooldownMs, LongSupplier clock) {
        this.ttlMs = ttlMs;
        this.cooldownMs = cooldownMs;
        this.clock = clock;
    }

    /**
     * Called before chat.send: the run's events are ours, not proactive. Also at start for the runs started from the
     * API that had not ended (ChatConfiguration), so their events after a restart are not taken as proactive.
     */
    public void expectRun(String gateway, String runId) {
        expectedRuns.put(new RunKey(gateway, runId), clock.getAsLong());
    }

    /** Called before chat.inject: the next inject run on this session is ours. */
    public void expectInject(String gateway, String sessionKey) {
        expectedInjects.computeIfAbsent(new SessionKey(gateway, sessionKey), k -> new ArrayDeque<>()).add(clock.getAsLong());
    }

    /**
     * For {@code direct:chat-event}: the event frame with {@link #accept}'s result as payload, or null when the event
     * is dropped.
     */
    public Map<String, Object> normalize(Exchange exchange) {
        Map<String, Object> frame = Json.map(exchange.getMessage().getBody());
        String gateway = exchange.getMessage().getHeader(OpenClawConstants.GATEWAY, String.class);
        Map<String, Object> chat = frame == null ? null : accept(gateway, Json.map(frame.get("payload")));
        if (chat == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>(frame);
        out.put("payload", chat);
        return out;
    }

    /**
     * The chat message to store and push for a gateway {@code chat} event payload, or null when it is a duplicate or
     * stale. The result keeps the gateway's fields and adds {@code text}, {@code deltaText}, {@code replace},
     * {@code proactive}, {@code startedBy} and {@code kind}.
     */
    public Map<String, Object> accept(String gateway, Map<String, Object> payload) {
        if (payload == null) {
            return null;
        }
        Runs runs = byGateway.computeIfAbsent(String.valueOf(gateway), g -> new Runs());
        synchronized (runs) {
            return accept(runs, gateway, payload);
        }
    }

    private Map<String, Object> accept(Runs runs, String gateway, Map<String, Object> payload) {
        long now = clock.getAsLong();
        sweep(runs, now);
        String runId = Json.string(payload, "runId");
        String state = Json.string(payload, "state");
        String sessionKey = Json.string(payload, "sessionKey");
        if (runId == null || state == null || sessionKey == null) {
            LOG.warn("Gateway {}: chat event without runId, state or sessionKey ignored", gateway);
            return null;
        }
        RunKey key = new RunKey(gateway, runId);
        if (runs.finished.containsKey(key)) {
            duplicates.incrementAndGet();
            LOG.debug("Gateway {}: chat {} of run {} after it ended dropped", gateway, state, runId);
            return null;
        }
        Run run = runs.running.computeIfAbsent(key, k -> newRun(k, sessionKey));
        run.touchedAt = now;
        if (dropped(run, Json.number(payload, "seq"), state)) {
            return null;
        }
        ChatText text = ChatText.after(run.text, state, payload);
        run.text = text.text() == null ? "" : text.text();
        if (TERMINAL.contains(state)) {
            runs.running.remove(key);
            runs.finished.put(key, now);
        }
        Map<String, Object> out = new LinkedHashMap<>(payload);
        out.put("gateway", gateway);
        out.put("text", run.text);
        out.put("deltaText", text.increment());
        out.put("replace", text.replace());
        out.put("proactive", !run.ours);
        out.put("startedBy", run.ours ? STARTED_BY_US : null);
        out.put("kind", runId.startsWith("inject-") ? "inject" : "send");
        out.put("ts", payload.getOrDefault("ts", now));
        out.remove("message"); // its text is `text`; the rest of it (role, timestamp) is not worth storing per delta
        accepted.incrementAndGet();
        return out;
    }

    private Run newRun(RunKey key, String sessionKey) {
        Run run = new Run(isOurs(key, sessionKey));
        if (!run.ours) {
            proactiveRuns.incrementAndGet();
        }
        return run;
    }

    /**
     * Whether the run's event {@code seq} of {@code state} is dropped (and counted): seen before, or a delta or status
     * older than one applied (the newer one's cumulative text already holds it). Records what it lets through.
     */
    private boolean dropped(Run run, Long seq, String state) {
        if (seq == null) {
            return false;
        }
        if (!run.seen.add(seq + ":" + state)) {
            duplicates.incrementAndGet();
            return true;
        }
        if (!TERMINAL.contains(state) && seq < run.lastSeq) {
            stale.incrementAndGet();
            return true;
        }
        run.lastSeq = Math.max(run.lastSeq, seq);
        return false;
    }

    private boolean isOurs(RunKey run, String sessionKey) {
        if (expectedRuns.remove(run) != null) {
            return true;
        }
        if (run.runId().startsWith("inject-")) {
            Deque<Long> pending = expectedInjects.get(new SessionKey(run.gateway(), sessionKey));
            if (pending != null) {
                synchronized (pending) {
                    if (pending.poll() != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Forgets a gateway's finished runs after the cooldown, and its runs with no event for the TTL; expectations after
     * the TTL.
     */
    private void sweep(Runs runs, long now) {
        if (now < runs.nextSweep) {
            return;
        }
        runs.nextSweep = now + Math.min(1000, cooldownMs);
        for (Iterator<Long> it = runs.finished.values().iterator(); it.hasNext() && now - it.next() > cooldownMs; ) {
            it.remove();
        }
        runs.running.values().removeIf(r -> now - r.touchedAt > ttlMs);
        for (Deque<Long> pending : expectedInjects.values()) {
            synchronized (pending) {
                pending.removeIf(at -> now - at > ttlMs);
            }
        }
        expectedInjects.values().removeIf(Deque::isEmpty);
        expectedRuns.values().removeIf(at -> now - at > ttlMs);
    }

    /** Registers the counters as Micrometer meters ({@code controlcenter_chat_*} in /observe/metrics). */
    public void bindTo(MeterRegistry registry) {
        String name = Meters.PREFIX + "chat.";
        FunctionCounter.builder(name + "events.accepted", this, ChatTracker::getAccepted)
                .description("Chat events stored and pushed").register(registry);
        FunctionCounter.builder(name + "events.dropped", this, ChatTracker::getDuplicatesDropped).tag("reason", "duplicate")
                .description("Chat events dropped: seen before, or after their run ended").register(registry);
        FunctionCounter.builder(name + "events.dropped", this, ChatTracker::getStaleDropped).tag("reason", "stale")
                .description("Chat events dropped: seen before, or after their run ended").register(registry);
        FunctionCounter.builder(name + "runs.proactive", this, ChatTracker::getProactiveRuns)
                .description("Runs seen that Control Center did not start").register(registry);
    }

    @ManagedAttribute(description = "Chat events accepted (stored and pushed)")
    public long getAccepted() {
        return accepted.get();
    }

    @ManagedAttribute(description = "Chat events dropped as duplicates (same run, seq and state, or after the run ended)")
    public long getDuplicatesDropped() {
        return duplicates.get();
    }

    @ManagedAttribute(description = "Chat deltas dropped because a newer one of the run was already applied")
    public long getStaleDropped() {
        return stale.get();
    }

    @ManagedAttribute(description = "Runs seen that Control Center did not start")
    public long getProactiveRuns() {
        return proactiveRuns.get();
    }

    @ManagedAttribute(description = "Runs tracked for duplicate removal")
    public int getTrackedRuns() {
        int n = 0;
        for (Runs runs : byGateway.values()) {
            synchronized (runs) {
                n += runs.running.size() + runs.finished.size();
            }
        }
        return n;
    }

    /** One gateway's runs; touched only under its own lock. */
    private static final class Runs {
        /** Runs in progress, by run id. */
        final Map<RunKey, Run> running = new LinkedHashMap<>();
        /**
         * Runs that ended, and when: in the order they ended, so the sweep stops at the first one still cooling down.
         * Only this is kept of a finished run (at 1,000 runs/s ending, 2 minutes are 120,000 runs).
         */
        final LinkedHashMap<RunKey, Long> finished = new LinkedHashMap<>();
        long nextSweep;
    }

    /** A run of a gateway. */
    private record RunKey(String gateway, String runId) {
    }

    /** A session of a gateway. */
    private record SessionKey(String gateway, String sessionKey) {
    }

    private static final class Run {
        final boolean ours;
        final Set<String> seen = new HashSet<>();
        long lastSeq = Long.MIN_VALUE;
        String text = "";
        long touchedAt;

        Run(boolean ours) {
            this.ours = ours;
        }
    }
}
