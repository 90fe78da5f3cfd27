package io.controlcenter.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The first of a kind is logged, the rest of its window left out and counted in the next one logged. */
class LogLimitTest {

    @Test
    void theFirstOfAKindIsLoggedThenOneAWindowWithHowManyWereLeftOut() throws InterruptedException {
        LogLimit limit = new LogLimit(300);
        assertEquals("", limit.allow("malformed"));
        assertEquals("", limit.allow("gap"), "each kind has its own window");
        for (int i = 0; i < 5; i++) {
            assertNull(limit.allow("malformed"));
        }
        Thread.sleep(350); // the window passes
        assertEquals(" (and 5 more like it in the last 300 ms, not logged)", limit.allow("malformed"));
        assertNull(limit.allow("malformed"), "a new window began");
        Thread.sleep(350);
        assertEquals("", limit.allow("gap"), "nothing of its kind was left out");
    }
}
