package io.forkcast.worker.loop;

import java.util.concurrent.TimeUnit;

/** How long the worker's loop may wait in its selector: deadlines to milliseconds, the sooner of two. Stateless. */
final class Waits {
    private Waits() {}

    /** The shorter of two selector waits, where 0 means no deadline. */
    static long earliest(long wait, long other) {
        return wait == 0 ? other : Math.min(wait, other);
    }

    /** Milliseconds until {@code deadline}, at least 1 (a selector wait of 0 is for ever). */
    static long remainingMillis(long deadline, long now) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now));
    }
}
