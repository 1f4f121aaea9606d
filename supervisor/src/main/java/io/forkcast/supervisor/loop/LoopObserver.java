package io.forkcast.supervisor.loop;

/**
 * What the event loop reports about itself as it runs: each turn of its loop, the number of clients, reloads and the
 * start of a shutdown. Called on the loop thread; an observer must return at once and never throw.
 */
public interface LoopObserver {
    /** Observes nothing. */
    LoopObserver NONE = new LoopObserver() {};

    /** The longest the loop may wait for I/O before its next turn; a watchdog's ping period bounds it. */
    default long maxWaitMillis() {
        return Long.MAX_VALUE;
    }

    /** The loop finished a turn: events handled, I/O done, housekeeping done. */
    default void onLoopTurn(long nowNanos) {}

    /** The number of joined clients changed. */
    default void onClientCountChanged(int clients) {}

    /** A reload begins ({@code nowNanos} is {@link System#nanoTime()}). */
    default void onReloading(long nowNanos) {}

    /** A reload ended: the new configuration was applied, or refused and the old one kept. */
    default void onReloaded(boolean applied) {}

    /** A graceful shutdown begins. */
    default void onStopping() {}
}
