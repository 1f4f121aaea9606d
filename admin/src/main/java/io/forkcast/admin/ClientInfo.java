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
 * @param user the user the client logged in as, or {@code null} for a guest (or from a server without accounts)
 * @param kind the client kind its worker serves ({@code telnet}), or {@code null} from an older server
 * @param usage what its worker costs, as the server last sampled it from /proc; {@code null} before the first
 *     sample or from an older server
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
        String room,
        String user,
        String kind,
        Usage usage) {

    /**
     * What a client's worker JVM costs, measured by the kernel; a figure the server could not read is -1.
     *
     * @param cpuSeconds CPU time since the worker started
     * @param cpuPercent CPU over the server's last sample interval, in percent of one core (as top shows it)
     * @param rssBytes resident memory
     * @param pssBytes proportional resident memory (shared pages divided among the processes that map them)
     */
    public record Usage(double cpuSeconds, double cpuPercent, long rssBytes, long pssBytes, int threads, int fds) {}

    /** A client as an older server lists it: no user, no kind, no usage. */
    public ClientInfo(
            long id,
            String peer,
            long pid,
            String name,
            long ageSeconds,
            long idleSeconds,
            long linesIn,
            long linesOut,
            long queuedBytes,
            String room) {
        this(id, peer, pid, name, ageSeconds, idleSeconds, linesIn, linesOut, queuedBytes, room, null, null, null);
    }
}
