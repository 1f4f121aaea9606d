package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void waitsOneSecondThenDoublesUpToAMinute() {
        var backoff = new Backoff();
        assertTrue(backoff.allows(0));
        long now = 0;
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60};
        for (long seconds : expected) {
            backoff.failed(now);
            assertEquals(seconds * SECOND, backoff.waitNanos());
            assertFalse(backoff.allows(now + seconds * SECOND - 1));
            assertTrue(backoff.allows(now + seconds * SECOND));
            now += seconds * SECOND;
        }
    }

    @Test
    void aWorkerThatConnectsEndsTheBackoff() {
        var backoff = new Backoff();
        backoff.failed(0);
        backoff.failed(SECOND);
        backoff.reset();
        assertFalse(backoff.active());
        assertTrue(backoff.allows(SECOND));
        backoff.failed(2 * SECOND);
        assertEquals(SECOND, backoff.waitNanos());
    }
}
