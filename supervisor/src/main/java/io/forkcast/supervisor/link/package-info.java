/**
 * The link layer: the hub socket and one {@link io.forkcast.supervisor.link.WorkerLink} per worker connected to it.
 * {@link io.forkcast.supervisor.link.HubServer} admits our own children and workers of an earlier supervisor
 * (SO_PEERCRED); {@link io.forkcast.supervisor.link.HubProtocol} reads their frames and hands the facts to the
 * routing domain; {@link io.forkcast.supervisor.link.LinkWriter} flushes the outboxes once per turn and drops a
 * worker that does not keep up; {@link io.forkcast.supervisor.link.Links} holds every link and closes them. A link
 * is the routing domain's {@link io.forkcast.supervisor.route.Mailbox} for its client. Confined to the loop thread.
 */
package io.forkcast.supervisor.link;
