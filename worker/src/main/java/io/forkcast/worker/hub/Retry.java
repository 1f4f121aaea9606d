package io.forkcast.worker.hub;

import java.util.concurrent.TimeUnit;

/**
 * When to try the hub again once a link is lost: 0.1 s after the loss, then at waits doubling up to 2 s, until the
 * reconnect timeout has passed since the loss. Confined to the worker's loop thread; times are {@code nanoTime}s.
 */
final class Retry {
    static final long FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** How long after a loss attempts go on; fixed. */
    private final long timeoutNanos;
    /** Attempts stop after this; set by {@link #lost}. */
    private long deadlineNanos;
    /** The next attempt. */
    private long nextNanos;
    /** The wait after the next failed attempt. */
    private long waitNanos;

    Retry(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** A linked session lost its link at {@code now}: the first attempt comes after the shortest wait. */
    void lost(long now) {
        deadlineNanos = now + timeoutNanos;
        waitNanos = FIRST_NANOS;
        later(now);
    }

    /** An attempt failed (or a resuming link was lost) at {@code now}: the next one waits longer. */
    void later(long now) {
        nextNanos = now + waitNanos;
        waitNanos = Math.min(waitNanos * 2, MAX_NANOS);
    }

    boolean expired(long now) {
        return now > deadlineNanos;
    }

    boolean due(long now) {
        return now >= nextNanos;
    }

    long nextAttemptNanos() {
        return nextNanos;
    }

    /** Milliseconds until the next attempt or the deadline, whichever is first; at least 1. */
    long waitMillis(long now) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nextNanos, deadlineNanos) - now));
    }
}
