/**
 * The routing domain: who receives what. {@link io.forkcast.supervisor.route.Router} takes facts from a client
 * (joined, resumed, said, acted, renamed, asked who, left), decides the recipients from {@link
 * io.forkcast.supervisor.route.Rooms} and {@link io.forkcast.supervisor.route.Directory}, encodes each message once
 * per protocol level and hands the same bytes to each recipient's {@link io.forkcast.supervisor.route.Mailbox}.
 * {@link io.forkcast.supervisor.route.Delivery} keeps sequence numbers, acks and the replay buffer. No sockets here:
 * the link layer implements Mailbox, and tests drive the domain with in-memory mailboxes. Confined to the loop
 * thread.
 */
package io.forkcast.supervisor.route;
