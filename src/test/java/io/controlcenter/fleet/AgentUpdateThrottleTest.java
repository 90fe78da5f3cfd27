package io.controlcenter.fleet;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When agent cards are compared, and so agent.update pushed: throttled while events wait, never lost. */
class AgentUpdateThrottleTest {

    private final AgentUpdates updates = new AgentUpdates();

    private static Map<String, Set<String>> touched(String... agentIds) {
        return Map.of("gw", new LinkedHashSet<>(List.of(agentIds)));
    }

    @Test
    void agentsTouchedWhileEventsWaitAreComparedOnceTheQueueIsEmpty() {
        AtomicBoolean moreQueued = new AtomicBoolean(true);
        updates.setInterval(3_600_000, moreQueued::get);
        assertEquals(Map.of(), updates.due(touched("main")));
        assertEquals(Map.of(), updates.due(touched("ops")));

        moreQueued.set(false);
        assertEquals(touched("main", "ops"), updates.due(Map.of()), "the last change always goes out");
        assertEquals(Map.of(), updates.due(Map.of()), "each once");
    }

    @Test
    void withNoIntervalCardsAreComparedAfterEveryBatch() {
        updates.setInterval(0, () -> true);
        assertEquals(touched("main"), updates.due(touched("main")));
        assertEquals(touched("ops"), updates.due(touched("ops")));
    }

    @Test
    void theAgentsOfAFailedAttemptAreComparedAgain() {
        updates.setInterval(0, () -> true);
        updates.attemptStarts();
        assertEquals(touched("main"), updates.due(touched("main")));
        updates.uncompared();

        updates.attemptStarts();
        assertEquals(touched("main", "ops"), updates.due(touched("ops")));
    }

    @Test
    void anAgentUpdateGoesOutOnlyWhenTheCardChanged() {
        AgentKey main = new AgentKey("gw", "main");
        Map<String, Object> working = Map.of("id", "main", "status", "working");
        assertTrue(updates.changed(main, working), "never pushed");
        updates.pushed(Map.of(main, working));
        assertFalse(updates.changed(main, Map.of("id", "main", "status", "working")));
        assertTrue(updates.changed(main, Map.of("id", "main", "status", "idle")));
        assertTrue(updates.changed(new AgentKey("other", "main"), working), "per gateway");
    }
}
