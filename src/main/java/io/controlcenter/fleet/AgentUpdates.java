package io.controlcenter.fleet;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The agent-update throttle: which agents' cards a batch compares with the card last pushed (an agent.update goes out
 * only when it changed), and when. Agents touched while more events wait are compared at most every
 * {@code fleet.agent-update.interval}; under load a batch touches hundreds of agents and their card query took most of
 * the batch's time (BENCHMARKS.md), so this bounds it by time instead of by batch. Used by the fleet-batch thread.
 */
final class AgentUpdates {

    /** The card last pushed per agent. */
    private final Map<AgentKey, Map<String, Object>> pushed = new ConcurrentHashMap<>();
    /** Agents touched since their cards were last compared (by gateway), and those the current attempt compares. */
    private final Map<String, Set<String>> pending = new LinkedHashMap<>();
    private Map<String, Set<String>> comparing;
    private long comparedAt = System.nanoTime();
    private long intervalNanos;
    private BooleanSupplier moreQueued = () -> false;

    /** Cards are compared at most every {@code intervalMs} while {@code moreQueued}; 0: after every batch. */
    void setInterval(long intervalMs, BooleanSupplier moreQueued) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.moreQueued = moreQueued;
    }

    /** A batch's attempt begins: it has compared nothing yet. */
    void attemptStarts() {
        comparing = null;
    }

    /**
     * The agents whose cards to compare now, with those the batch {@code touched}: all touched since the last
     * comparison, once the interval has passed since it or when no more events are waiting; else none (they wait for a
     * later batch).
     */
    Map<String, Set<String>> due(Map<String, Set<String>> touched) {
        addPending(touched);
        long now = System.nanoTime();
        if (pending.isEmpty() || (now - comparedAt < intervalNanos && moreQueued.getAsBoolean())) {
            return Map.of();
        }
        comparedAt = now;
        Map<String, Set<String>> due = new LinkedHashMap<>(pending);
        pending.clear();
        comparing = due;
        return due;
    }

    /** The attempt failed: the agents it compared are compared again later. */
    void uncompared() {
        if (comparing != null) {
            addPending(comparing);
            comparing = null;
        }
    }

    /** Whether {@code card} differs from the agent's card last pushed. */
    boolean changed(AgentKey agent, Map<String, Object> card) {
        return !card.equals(pushed.get(agent));
    }

    /** Cards a committed batch pushed. */
    void pushed(Map<AgentKey, Map<String, Object>> cards) {
        pushed.putAll(cards);
    }

    private void addPending(Map<String, Set<String>> agents) {
        agents.forEach((gw, ids) -> pending.computeIfAbsent(gw, k -> new LinkedHashSet<>()).addAll(ids));
    }
}
