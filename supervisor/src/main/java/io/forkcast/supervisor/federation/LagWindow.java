package io.forkcast.supervisor.federation;

import java.util.Arrays;

/**
 * The lag of the last {@link #SIZE} remote room events given out: now minus when their node sent them (epoch ms,
 * so across hosts it includes the clocks' difference), as a median. Confined to the loop thread.
 */
final class LagWindow {
    static final int SIZE = 128;

    private final long[] samples = new long[SIZE];
    private int count;
    private int next;

    void add(long lagMillis) {
        samples[next] = Math.max(0, lagMillis);
        next = (next + 1) % SIZE;
        count = Math.min(SIZE, count + 1);
    }

    /** The median of the window, 0 before the first sample. */
    long p50() {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
