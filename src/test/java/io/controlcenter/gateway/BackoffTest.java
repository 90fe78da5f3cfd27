package io.controlcenter.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

    @Test
    void doublesFromOneSecondToThirtyAndResets() {
        Backoff b = new Backoff(1000, 30_000, 0, () -> 0.5);
        long[] expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (long e : expected) {
            assertEquals(e, b.next());
        }
        b.reset();
        assertEquals(1000, b.next());
    }

    @Test
    void jitterSpreadsEachDelayWithinItsBoundsAndNeverPastTheMaximum() {
        Backoff low = new Backoff(1000, 30_000, 0.2, () -> 0.0);
        Backoff high = new Backoff(1000, 30_000, 0.2, () -> 0.999_999);
        assertEquals(800, low.next());
        assertEquals(1200, high.next());
        for (int i = 0; i < 40; i++) {
            assertTrue(high.next() <= 30_000);
            assertTrue(low.next() >= 800);
        }
    }
}
