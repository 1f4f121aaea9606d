package io.forkcast.supervisor.link;

/**
 * Where a {@link WorkerLink} is in its life (immutable values; a link moves only forward, on the loop thread):
 *
 * <pre>
 *   hub accept --+-- our spare ------> SPARE_STARTING --Ready--> SPARE_IDLE --Assign + fd--+
 *                |                                                                       v
 *                +-- our child for a client ---------------------------------------> JOINING --Hello--+
 *                |                                                                                     v
 *                +-- earlier supervisor's worker --> ADOPTING --Resume--------------------------> JOINED
 *
 *   any open state --slow, kicked, retired, shutdown--> CLOSING --eof, or killed at its deadline--> CLOSED
 *   any open state --eof, hub error, bad frame, timeout---------------------------------------------> CLOSED
 * </pre>
 */
public enum LinkState {
    /** Our spare, connected; its Ready has not arrived. */
    SPARE_STARTING,
    /** A spare that said Ready and waits in the pool for a client. */
    SPARE_IDLE,
    /** Our worker for a client (spawned for it, or a spare handed it); its Hello has not arrived. */
    JOINING,
    /** A worker of an earlier supervisor; its Resume has not arrived. */
    ADOPTING,
    /** Serving a client that is a member of the routing domain. */
    JOINED,
    /** Being dropped: nothing more is read or relayed; closed on eof or killed at its deadline. */
    CLOSING,
    /** Closed: off the selector, out of every table. */
    CLOSED;

    /** True until the link is closing or closed. */
    public boolean open() {
        return this != CLOSING && this != CLOSED;
    }
}
