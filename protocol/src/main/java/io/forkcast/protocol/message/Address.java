package io.forkcast.protocol.message;

/**
 * Where a delivery is addressed: what a receiving worker needs to show it in the right place (a room's line, a
 * private message, a line to everyone). The supervisor chooses the recipients; the address only tells them why
 * they got it.
 */
public sealed interface Address {
    /** Everyone connected: today's one shared room. */
    record Everyone() implements Address {}

    /** Every member of a room. */
    record Room(String name) implements Address {}

    /** One client, on the named node. */
    record Client(String node, long clientId) implements Address {}
}
