package io.controlcenter.fleet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What agent cards count of the sessions: a batch sees its own rows at once, everyone else once it commits. */
class AgentActivityTest {

    private final AgentActivity activity = new AgentActivity();

    private static AgentActivity.Row live(String key, String agentId, boolean active, long updatedAt) {
        return new AgentActivity.Row("gw", key, agentId, false, active, updatedAt);
    }

    private static AgentActivity.Pending batch(AgentActivity.Row... rows) {
        AgentActivity.Pending pending = new AgentActivity.Pending();
        for (AgentActivity.Row r : rows) {
            pending.put(r);
        }
        return pending;
    }

    private AgentActivity.Counts committed(String agentId) {
        return activity.counts("gw", agentId, AgentActivity.Pending.NONE);
    }

    @Test
    void aBatchsRowsCountForItsOwnCardsButForNoOneElseUntilItCommits() {
        AgentActivity.Pending pending = batch(live("agent:main:s1", "main", true, 100),
                live("agent:main:s2", "main", false, 200));
        assertEquals(new AgentActivity.Counts(2, 1, 200), activity.counts("gw", "main", pending));
        assertEquals(new AgentActivity.Counts(0, 0, 0), committed("main"), "not committed: others see nothing");

        activity.commit(pending);
        assertEquals(new AgentActivity.Counts(2, 1, 200), committed("main"));
    }

    @Test
    void aBatchThatRollsBackChangesNothing() {
        activity.commit(batch(live("agent:main:s1", "main", false, 100)));
        AgentActivity.Pending rolledBack = batch(live("agent:main:s1", "main", true, 500),
                live("agent:main:s2", "main", true, 600));
        assertEquals(new AgentActivity.Counts(2, 2, 600), activity.counts("gw", "main", rolledBack));
        assertEquals(new AgentActivity.Counts(1, 0, 100), committed("main"), "its pending rows are simply dropped");
    }

    @Test
    void aSessionGoneInABatchStopsCountingForItAtOnce() {
        activity.commit(batch(live("agent:main:s1", "main", true, 100), live("agent:main:s2", "main", false, 300)));
        AgentActivity.Pending pending = batch(new AgentActivity.Row("gw", "agent:main:s2", "main", true, false, 300));
        assertEquals(new AgentActivity.Counts(1, 1, 100), activity.counts("gw", "main", pending),
                "gone sessions count neither as sessions nor for the last activity");
        assertEquals(new AgentActivity.Counts(2, 1, 300), committed("main"));
    }

    @Test
    void aRunEndingInABatchIsNoLongerCountedAsActiveByIt() {
        activity.commit(batch(live("agent:main:s1", "main", true, 100)));
        AgentActivity.Pending pending = batch(live("agent:main:s1", "main", false, 150));
        assertEquals(new AgentActivity.Counts(1, 0, 150), activity.counts("gw", "main", pending));
        assertEquals(new AgentActivity.Counts(1, 1, 100), committed("main"));
    }

    @Test
    void aSessionThatMovesToAnotherAgentCountsForTheNewOneOnly() {
        activity.commit(batch(live("agent:main:s1", "main", true, 100)));
        activity.commit(batch(live("agent:main:s1", "ops", true, 200)));
        assertEquals(new AgentActivity.Counts(0, 0, 0), committed("main"));
        assertEquals(new AgentActivity.Counts(1, 1, 200), committed("ops"));
    }

    @Test
    void gatewayTotalsCountLiveSessionsAndThoseWithARunInProgress() {
        activity.commit(batch(live("agent:main:s1", "main", true, 1), live("agent:ops:s1", "ops", false, 2),
                new AgentActivity.Row("gw", "agent:ops:s2", "ops", true, true, 3),
                new AgentActivity.Row("other", "agent:main:s1", "main", false, true, 4)));
        assertArrayEquals(new long[] {2, 1}, activity.totals("gw", AgentActivity.Pending.NONE));
        assertArrayEquals(new long[] {3, 2}, activity.totals("gw", batch(live("agent:ops:s3", "ops", true, 5))),
                "with a batch's new session");
        assertArrayEquals(new long[] {1, 1}, activity.totals("other", AgentActivity.Pending.NONE), "per gateway");
    }
}
