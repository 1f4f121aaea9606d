package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;

/**
 * A private line for someone on another node of a federation: to whoever holds the nickname {@code toNick} there,
 * or (a reply) to the one client {@code toClient}. Immutable.
 *
 * @param toNick the nickname typed, or null for a reply
 * @param toClient the client replied to, or null
 */
public record PrivateLine(Sender from, long seq, String toNick, Address.Client toClient, String text) {}
