package io.forkcast.supervisor.loop;

import java.nio.channels.SelectionKey;

/**
 * What a selection key is attached to: the part that owns that channel (a listener, a hub link). Called on the loop
 * thread.
 */
public interface KeyHandler {
    /** {@code key} is ready (readable, writable or acceptable). */
    void onReady(SelectionKey key);

    /**
     * {@link #onReady} threw; the loop logged it and goes on. A handler for one peer drops that peer here, so a bug
     * hit by one worker costs that worker only.
     */
    default void onFailure(RuntimeException e) {}
}
