package io.controlcenter.db;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * db.embedded.restart.*: the delay doubles with each restart within the period (capped at the period), at most
 * {@code limit} restarts within it, and restarts older than the period no longer count. The restarts of a real server
 * are EmbeddedDatabaseKillTest and EmbeddedRestartLimitTest.
 */
class RestartPolicyTest {

    private final RestartPolicy policy = new RestartPolicy(3, Duration.ofMinutes(10), Duration.ofSeconds(1));

    @Test
    void theDelayDoublesWithEachRestartWithinThePeriod() {
        assertEquals(Duration.ofSeconds(1), policy.delayAfter(0));
        assertEquals(Duration.ofSeconds(2), policy.delayAfter(1));
        assertEquals(Duration.ofSeconds(4), policy.delayAfter(2));
        assertEquals(Duration.ofMinutes(10), policy.delayAfter(40), "never longer than the period");
    }

    @Test
    void theLimitCountsOnlyTheRestartsWithinThePeriod() {
        RestartPolicy.History history = new RestartPolicy.History();
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertFalse(policy.exhausted(history.within(policy.period(), t)), "restart " + (i + 1));
            history.add(t);
            t += Duration.ofMinutes(1).toNanos();
        }
        assertTrue(policy.exhausted(history.within(policy.period(), t)), "a fourth within 10 minutes");
        long afterTheFirstExpired = Duration.ofMinutes(10).toNanos() + 1;
        assertEquals(2, history.within(policy.period(), afterTheFirstExpired));
        assertFalse(policy.exhausted(2));
        assertTrue(new RestartPolicy(0, Duration.ofMinutes(10), Duration.ofSeconds(1)).exhausted(0), "0: never restart");
    }
}
