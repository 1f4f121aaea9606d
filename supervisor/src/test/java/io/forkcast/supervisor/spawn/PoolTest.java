package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PoolTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theWholeMinimumStartsAtOnceAtFirst() {
        var pool = new Pool<Pool.Spare>(8, 8, 32, 600 * SECOND, 0);
        assertEquals(8, pool.wanted(0, 100));
    }

    @Test
    void refillsRampOneTwoFourWhileThePoolStaysShort() {
        var pool = new Pool<Pool.Spare>(20, 20, 32, 600 * SECOND, 0);
        for (int i = 0; i < 20; i++) {
            pool.started(i);
            pool.lost(i);
        }
        // The pool is still empty a second later: one, then two, then four a second.
        assertEquals(1, pool.wanted(SECOND, 100));
        pool.started(100);
        pool.lost(100);
        assertEquals(2, pool.wanted(2 * SECOND, 100));
        assertEquals(4, pool.wanted(3 * SECOND, 100));
    }

    @Test
    void aCapOnStartingJvmsDoesNotResetTheRamp() {
        var pool = new Pool<Pool.Spare>(20, 20, 32, 600 * SECOND, 0);
        pool.wanted(0, 0);
        assertEquals(1, pool.wanted(SECOND, 100));
        assertEquals(1, pool.wanted(2 * SECOND, 1)); // budget 2, but only one may start now
        pool.started(1);
        pool.lost(1);
        // Fewer started than the budget allowed, and the pool is still short: the ramp goes on.
        assertEquals(4, pool.wanted(3 * SECOND, 100));
    }

    @Test
    void neverMoreThanTheRoomLeft() {
        var pool = new Pool<Pool.Spare>(8, 8, 32, 600 * SECOND, 0);
        assertEquals(3, pool.wanted(0, 3));
        assertEquals(0, pool.wanted(0, 0));
    }
}
