package io.forkcast.supervisor.route;

import java.nio.ByteBuffer;

/**
 * Where the routing domain leaves frames for one client: the link layer's outbox to that client's worker. Called
 * on the loop thread.
 */
@FunctionalInterface
public interface Mailbox {
    /**
     * Queues {@code frame} (shared and immutable: the mailbox keeps its own view). False when the mailbox refuses
     * it: the worker is too far behind (the link layer then drops it) or is already being dropped. Never closes
     * anything on the spot, so a caller may go on walking its recipients.
     */
    boolean post(ByteBuffer frame);

    /**
     * Queues {@code frame} like {@link #post(ByteBuffer)}, holding {@code receipt} until it is written to the
     * worker's link or discarded with the worker; a mailbox that writes nothing (a test's) releases nothing.
     */
    default boolean post(ByteBuffer frame, Receipt receipt) {
        return post(frame);
    }
}
