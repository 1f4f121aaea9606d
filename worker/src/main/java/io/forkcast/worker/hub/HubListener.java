package io.forkcast.worker.hub;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Limits;

/** What a {@link HubSession} tells the worker's loop, synchronously, on the loop thread. */
public interface HubListener {
    /** Admitted under {@code clientId}: the client may be greeted and read; {@code limits} apply now. */
    void welcomed(long clientId, Limits limits);

    /** Link lost: the client stays, its lines wait; a reconnect is under way. */
    void reconnecting();

    /** Back on a supervisor, under the same client id; {@code limits} apply now. */
    void resumed(Limits limits);

    /**
     * The hub is gone for good ({@code cause}: hub_closed, hub_corrupt, hub_error, hub_gone, or hub_backlog: linked
     * but no ack for the stall timeout): end.
     */
    void gaveUp(String cause);

    /**
     * Any other order: a line from another client (once, duplicates dropped), news, Limits, Disconnect, a
     * nickname's answer, a who list.
     */
    void order(SupervisorMessage order);
}
