package io.forkcast.bench;

import java.util.concurrent.TimeUnit;

/**
 * Waits for the server's process tree to go quiet: CPU use of the supervisor and its workers below a small
 * threshold over a short window, so that memory is read from idle workers and CPU accounting starts clean.
 * Bounded in time; returns either way. Stateless.
 */
final class Tree {
    private static final long WINDOW_MILLIS = 500;
    /** At most this many ticks (10 ms each at 100 Hz) per window: 4 % of one core. */
    private static final long QUIET_TICKS = 2;

    private Tree() {}

    /** Returns the milliseconds it took to go quiet, or -1 if it did not within {@code timeoutMillis}. */
    static long settle(Server server, long timeoutMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long before = ticks(server);
        while (System.nanoTime() < deadline) {
            Thread.sleep(WINDOW_MILLIS);
            long after = ticks(server);
            if (after - before <= QUIET_TICKS) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            before = after;
        }
        return -1;
    }

    static long ticks(Server server) {
        server.workers(); // remembers the pids for the final kill
        return Proc.treeTicks(server.pid());
    }
}
