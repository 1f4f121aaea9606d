package io.forkcast.protocol.message;

/**
 * Who said something, unique across every supervisor that shares rooms: client ids are unique only within one
 * supervisor's runtime directory, so the supervisor's node name goes with them. {@code name} and {@code pid} are
 * what a reader is shown ({@code [name] (pid): text}).
 *
 * @param node the name of the supervisor the client is connected to
 * @param clientId the client's id on that supervisor
 * @param name the client's nickname, or its address until it has one
 * @param pid the process id of the client's worker, on the node's host
 */
public record Sender(String node, long clientId, String name, long pid) {}
