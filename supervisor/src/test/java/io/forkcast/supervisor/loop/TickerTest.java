package io.forkcast.supervisor.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TickerTest {
    private static final long MS = 1_000_000L;

    @Test
    void ticksAtAFixedRateHoweverOftenItIsAsked() {
        var ticker = new Ticker(100 * MS, 0);
        assertTrue(ticker.due(0));
        assertFalse(ticker.due(1 * MS));
        assertFalse(ticker.due(99 * MS));
        assertEquals(1, ticker.millisUntilNext(99 * MS));
        assertTrue(ticker.due(100 * MS));
        assertEquals(100, ticker.millisUntilNext(100 * MS));
    }

    @Test
    void aLongStallIsNotMadeUpWithABurstOfTicks() {
        var ticker = new Ticker(100 * MS, 0);
        ticker.due(0);
        assertTrue(ticker.due(1000 * MS));
        assertFalse(ticker.due(1001 * MS));
        assertTrue(ticker.due(1100 * MS));
    }
}
