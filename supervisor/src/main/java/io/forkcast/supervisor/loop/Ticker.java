package io.forkcast.supervisor.loop;

/**
 * Housekeeping at a fixed rate, however often the loop wakes: a busy loop does not walk its tables on every turn,
 * and an idle one still wakes for its timers. Confined to the loop thread.
 */
final class Ticker {
    private final long periodNanos;
    /** When the next tick is due. */
    private long nextNanos;

    Ticker(long periodNanos, long nowNanos) {
        this.periodNanos = periodNanos;
        this.nextNanos = nowNanos;
    }

    /** True if a tick is due at {@code now}; the next one is then a period later (ticks missed are not made up). */
    boolean due(long nowNanos) {
        if (nowNanos - nextNanos < 0) {
            return false;
        }
        nextNanos += periodNanos;
        if (nowNanos - nextNanos >= 0) {
            nextNanos = nowNanos + periodNanos;
        }
        return true;
    }

    /** How long the loop may wait before the next tick is due, in whole milliseconds, at least 1. */
    long millisUntilNext(long nowNanos) {
        return Math.max(1, (nextNanos - nowNanos + 999_999) / 1_000_000);
    }
}
