package io.forkcast.supervisor.store;

import java.util.Locale;

/**
 * Where the store stands: {@link #DOWN} (no connection: writes wait in the queue, reads fail), {@link
 * #RECOVERING} (connected again, the backlog is being written), {@link #UP}, or {@link #OFF} ({@code store_url =
 * none}).
 */
public enum StoreState {
    UP,
    DOWN,
    RECOVERING,
    OFF;

    /** The word in logs and STATS: {@code up}, {@code down}, {@code recovering}, {@code off}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
