package io.forkcast.admin;

/**
 * One connected client as {@code LIST} reports it.
 *
 * @param id the client's id, unique for the server's lifetime and never reused
 * @param peer the client's address, {@code ip:port} ({@code [ip]:port} for IPv6)
 * @param pid the pid of the worker JVM serving the client
 * @param name the client's nickname, or {@code null} until it takes one
 * @param linesIn lines the client said
 * @param linesOut frames sent towards the client
 * @param queuedBytes bytes the supervisor holds for the client's worker
 * @param room the room the client is in, or {@code null} from a server without rooms
 */
public record ClientInfo(
        long id,
        String peer,
        long pid,
        String name,
        long ageSeconds,
        long idleSeconds,
        long linesIn,
        long linesOut,
        long queuedBytes,
        String room) {}
