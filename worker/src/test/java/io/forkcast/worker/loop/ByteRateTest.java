package io.forkcast.worker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteRateTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsReadAtOnceThenReadingWaitsForTheRate() {
        var rate = new ByteRate(1000, 4000, 0);
        assertEquals(0, rate.charge(4000, 0));
        // 500 bytes over: half a second before the next read.
        assertEquals(SECOND / 2, rate.charge(500, 0));
        // Half a second later the debt is paid and nothing is left over.
        assertEquals(SECOND / 10, rate.charge(100, SECOND / 2));
    }

    @Test
    void theBucketRefillsToTheBurstAndNoFurther() {
        var rate = new ByteRate(1000, 2000, 0);
        assertEquals(0, rate.charge(2000, 0));
        assertEquals(0, rate.charge(2000, 60 * SECOND));
        assertEquals(SECOND, rate.charge(1000, 60 * SECOND));
    }

    @Test
    void zeroBytesPerSecondIsNoLimit() {
        var rate = new ByteRate(0, 1, 0);
        assertEquals(0, rate.charge(1 << 20, 0));
    }
}
