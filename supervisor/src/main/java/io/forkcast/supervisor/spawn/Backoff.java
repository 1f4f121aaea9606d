package io.forkcast.supervisor.spawn;

import java.util.concurrent.TimeUnit;

/**
 * How long spare starts wait after a worker failed to boot: 1 s, doubling with each failure up to 60 s, and
 * nothing once a worker connects to the hub again. Like gunicorn's halt on boot errors, but a supervisor that has
 * served clients goes on serving them. Confined to the loop thread.
 */
final class Backoff {
    static final long FIRST_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** The wait after the last failure; 0: no failure since the last worker connected. */
    private long waitNanos;
    /** Until when spare starts wait. */
    private long untilNanos;

    /** A worker failed to boot at {@code now}: spare starts wait longer. */
    void failed(long nowNanos) {
        waitNanos = waitNanos == 0 ? FIRST_NANOS : Math.min(waitNanos * 2, MAX_NANOS);
        untilNanos = nowNanos + waitNanos;
    }

    /** A worker connected: workers boot again. */
    void reset() {
        waitNanos = 0;
    }

    /** True while failures since the last connection are being waited out. */
    boolean active() {
        return waitNanos > 0;
    }

    /** True if spares may start at {@code now}. */
    boolean allows(long nowNanos) {
        return waitNanos == 0 || nowNanos - untilNanos >= 0;
    }

    long waitNanos() {
        return waitNanos;
    }
}
