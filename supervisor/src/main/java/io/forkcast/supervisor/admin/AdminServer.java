package io.forkcast.supervisor.admin;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.listen.Listeners;
import io.forkcast.supervisor.listen.Listeners.StartupException;
import io.forkcast.supervisor.spawn.PeerCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The admin socket ({@code <runtime-dir>/admin.sock}): accepts admin clients on the loop's selector, lets in only
 * the peers {@link AdminAccess} permits, reads one command per line and queues the replies. A client that does
 * not read its replies is dropped once they pass {@link #OUTPUT_LIMIT_BYTES}; nothing here ever blocks the loop.
 * Confined to the loop thread.
 */
public final class AdminServer {
    public static final String SOCKET_NAME = "admin.sock";
    public static final int MAX_LINE_BYTES = 64 * 1024;
    static final long OUTPUT_LIMIT_BYTES = 1 << 20;
    static final int MAX_CONNECTIONS = 256;
    /** Of {@link #MAX_CONNECTIONS}, kept for root and the server's user: other users together cannot lock them out. */
    static final int RESERVED_FOR_PRIVILEGED = 16;

    private final EventLog log =
            EventLog.of("role=supervisor pid=" + ProcessHandle.current().pid());
    private final ServerSocketChannel server;
    private AdminAccess access;
    private final int maxTextBytes;
    /** admin_connections_per_uid_max (0: no limit), for users other than root and the server's; fixed. */
    private final int connectionsPerUidMax;
    /** admin_idle_timeout in nanoseconds (0: none); fixed. */
    private final long idleTimeoutNanos;

    private final Set<AdminConnection> connections = new LinkedHashSet<>();
    /** Open connections per peer uid. */
    private final Map<Integer, Integer> openByUid = new HashMap<>();

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private AdminCommands commands;
    private long nextNumber = 1;
    private long accepted;
    private long refused;
    private long dropped;
    private long idled;
    private long commandCount;

    /** How much of the admin socket one peer may hold: connections per uid, and silence before it is closed. */
    public record Quotas(int connectionsPerUidMax, Duration idleTimeout) {}

    public AdminServer(ServerSocketChannel server, AdminAccess access, int maxTextBytes, Quotas quotas) {
        this.server = server;
        this.access = access;
        this.maxTextBytes = maxTextBytes;
        this.connectionsPerUidMax = quotas.connectionsPerUidMax();
        this.idleTimeoutNanos = quotas.idleTimeout().toNanos();
    }

    /**
     * Binds {@code <runtimeDir>/admin.sock}, mode 0660. With an admin group, the socket and the runtime directory
     * get that group, and the directory becomes 0710 so that the group can reach the socket (and nothing else).
     */
    public static ServerSocketChannel bind(Path runtimeDir, AdminAccess access) throws StartupException {
        return bind(runtimeDir, access, false);
    }

    /** As {@link #bind(Path, AdminAccess)}; {@code takeOver}: a successor replaces its predecessor's socket. */
    public static ServerSocketChannel bind(Path runtimeDir, AdminAccess access, boolean takeOver)
            throws StartupException {
        Path path = runtimeDir.resolve(SOCKET_NAME);
        var channel = Listeners.unix(path, "rw-rw----", takeOver);
        try {
            grant(runtimeDir, access);
        } catch (StartupException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Start-up is failing anyway.
            }
            throw e;
        }
        return channel;
    }

    /** Gives the admin group (if any) the way to the socket; without one the runtime directory is 0700 again. */
    private static void grant(Path runtimeDir, AdminAccess access) throws StartupException {
        Path path = runtimeDir.resolve(SOCKET_NAME);
        try {
            if (access.groupName() != null) {
                var group = path.getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(access.groupName());
                Files.setAttribute(path, "posix:group", group);
                Files.setAttribute(runtimeDir, "posix:group", group);
                Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx--x---"));
            } else {
                Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException | RuntimeException e) {
            throw new StartupException(
                    "cannot give group " + access.groupName() + " access to " + path + ": " + e.getMessage());
        }
    }

    /**
     * Applies a new admin group (a reload): the socket's and directory's group and mode first, then the check made
     * on each new connection. Connections already admitted stay.
     */
    public void reconfigure(Path runtimeDir, AdminAccess next) throws StartupException {
        grant(runtimeDir, next);
        access = next;
        log.info("event=admin_access " + next.describe());
    }

    /** Starts accepting on {@code selector}; commands act on {@code ops}. */
    public void register(Selector selector, AdminOps ops) throws IOException {
        commands = new AdminCommands(ops, this::counters, maxTextBytes);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    /** True for the keys of the admin socket and its connections. */
    public boolean owns(SelectionKey key) {
        return key.attachment() == this || key.attachment() instanceof AdminConnection;
    }

    public void dispatch(SelectionKey key) {
        if (key.attachment() == this) {
            acceptAll(key.selector());
            return;
        }
        var connection = (AdminConnection) key.attachment();
        try {
            if (key.isReadable() && !connection.closeWhenFlushed) {
                read(connection);
            }
            if (key.isValid() && key.isWritable()) {
                flush(connection);
            }
        } catch (RuntimeException e) {
            log.error("event=admin_error " + connection.describe() + " error=" + EventLog.quote(e.toString()));
            close(connection);
        }
    }

    /** The admin socket's own counters, for STATS. */
    SequencedMap<String, Long> counters() {
        var counters = new LinkedHashMap<String, Long>();
        counters.put("admin_connections", (long) connections.size());
        counters.put("admin_accepted", accepted);
        counters.put("admin_refused", refused);
        counters.put("admin_dropped", dropped);
        counters.put("admin_idle_closed", idled);
        counters.put("admin_commands", commandCount);
        return counters;
    }

    /** Stops accepting and closes every admin connection. */
    public void close() {
        closeQuietly(server);
        for (var connection : new ArrayList<>(connections)) {
            close(connection);
        }
    }

    // ---- Accepting ----

    private void acceptAll(Selector selector) {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                log.error("event=admin_accept_failed error=" + EventLog.quote(e.toString()));
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                admit(channel, selector);
            } catch (IOException | RuntimeException e) {
                log.warn("event=admin_accept_error error=" + EventLog.quote(e.toString()));
                closeQuietly(channel);
            }
        }
    }

    private void admit(SocketChannel channel, Selector selector) throws IOException {
        var peer = PeerCredentials.of(channel);
        String who = "pid=" + peer.pid() + " uid=" + peer.uid() + " gid=" + peer.gid();
        if (!access.permits(peer.uid(), peer.gid())) {
            refuse(
                    channel,
                    "ERROR permission denied",
                    "event=admin_refused " + who + " reason=permission allowed=" + access.describe());
            return;
        }
        boolean privileged = access.privileged(peer.uid());
        int ofUid = openByUid.getOrDefault(peer.uid(), 0);
        if (!privileged && connectionsPerUidMax > 0 && ofUid >= connectionsPerUidMax) {
            refuse(
                    channel,
                    "ERROR too many admin connections for uid " + peer.uid() + " (limit " + connectionsPerUidMax + ")",
                    "event=admin_refused " + who + " reason=per_uid open=" + ofUid + " limit=" + connectionsPerUidMax);
            return;
        }
        int limit = privileged ? MAX_CONNECTIONS : MAX_CONNECTIONS - RESERVED_FOR_PRIVILEGED;
        if (connections.size() >= limit) {
            refuse(
                    channel,
                    "ERROR too many admin connections (limit " + limit + ")",
                    "event=admin_refused " + who + " reason=too_many open=" + connections.size() + " limit=" + limit);
            return;
        }
        channel.configureBlocking(false);
        var connection = new AdminConnection(nextNumber++, channel, peer);
        connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
        connections.add(connection);
        openByUid.merge(peer.uid(), 1, Integer::sum);
        accepted++;
    }

    /** At each tick: a connection silent for admin_idle_timeout is told so and closed. */
    public void tick(long now) {
        if (idleTimeoutNanos <= 0) {
            return;
        }
        for (var c : new ArrayList<>(connections)) {
            if (now - c.lastHeardNanos > idleTimeoutNanos) {
                idled++;
                log.info("event=admin_idle " + c.describe() + " limit_ms=" + idleTimeoutNanos / 1_000_000);
                reply(
                        c,
                        AdminCommands.Reply.error(
                                "idle for too long (limit " + idleTimeoutNanos / 1_000_000_000 + " s), closing"));
                c.closeWhenFlushed = true;
                flush(c);
                // One short line fits any socket buffer; a peer that cannot take even that is closed all the same.
                close(c);
            }
        }
    }

    private void refuse(SocketChannel channel, String reply, String logLine) {
        refused++;
        log.warn(logLine);
        try (channel) {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException ignored) {
            // The peer is turned away; if it cannot take one line there is nothing more to tell it.
        }
    }

    // ---- Commands in, replies out ----

    private void read(AdminConnection c) {
        int n;
        try {
            n = c.channel.read(c.input);
        } catch (IOException e) {
            close(c);
            return;
        }
        if (n > 0) {
            c.lastHeardNanos = System.nanoTime();
        }
        if (n < 0) {
            if (c.input.position() == 0) {
                close(c);
                return;
            }
            reply(c, AdminCommands.Reply.error("incomplete command: the connection ended before the end of the line"));
            c.closeWhenFlushed = true;
        } else {
            runCompleteLines(c);
            if (!connections.contains(c)) {
                return;
            }
            if (!c.closeWhenFlushed && !c.waiting && !c.input.hasRemaining()) {
                log.warn("event=admin_line_too_long " + c.describe() + " limit=" + MAX_LINE_BYTES);
                reply(c, AdminCommands.Reply.error("line too long (limit " + MAX_LINE_BYTES + " bytes)"));
                c.closeWhenFlushed = true;
            }
        }
        flush(c);
    }

    private void runCompleteLines(AdminConnection c) {
        var in = c.input;
        byte[] bytes = c.inputBytes;
        int start = 0;
        for (int i = 0; i < in.position() && !c.closeWhenFlushed && !c.waiting; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
            if (c.queuedBytes() > OUTPUT_LIMIT_BYTES) {
                drop(c);
                return;
            }
            reply(c, execute(c, ByteBuffer.wrap(bytes, start, end - start)));
            start = i + 1;
        }
        if (c.closeWhenFlushed) {
            in.clear();
        } else {
            in.limit(in.position()).position(start);
            in.compact();
        }
    }

    private AdminCommands.Reply execute(AdminConnection c, ByteBuffer lineBytes) {
        String line;
        try {
            line = utf8.reset().decode(lineBytes).toString();
        } catch (CharacterCodingException e) {
            return AdminCommands.Reply.error("not UTF-8 text");
        }
        commandCount++;
        var reply = commands.execute(line);
        String word = line.strip().split("[ \t]", 2)[0].toUpperCase(Locale.ROOT);
        if (reply.later() == null
                && !reply.lines().getFirst().startsWith("ERROR")
                && (word.equals("SEND") || word.equals("BROADCAST") || word.equals("KICK"))) {
            // An audit trail of what operators did to clients.
            log.info("event=admin_action " + c.describe() + " command=" + EventLog.quote(abbreviate(line)));
        }
        return reply;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private void reply(AdminConnection c, AdminCommands.Reply reply) {
        if (reply.later() != null) {
            // The reply comes later (LIST ALL asks the other nodes): the next command waits for it, in order.
            c.waiting = true;
            var inside = new boolean[] {true};
            reply.later().accept(answer -> {
                c.waiting = false;
                if (!connections.contains(c)) {
                    return;
                }
                reply(c, answer);
                if (!inside[0]) { // answered later: the lines read meanwhile run now
                    runCompleteLines(c);
                    flush(c);
                }
            });
            inside[0] = false;
            return;
        }
        c.queue(reply.lines());
        if (reply.close()) {
            c.closeWhenFlushed = true;
        }
    }

    private void flush(AdminConnection c) {
        if (!connections.contains(c)) {
            return;
        }
        try {
            boolean drained = c.flush();
            if (drained && c.closeWhenFlushed) {
                close(c);
                return;
            }
            int ops = (c.closeWhenFlushed || c.waiting ? 0 : SelectionKey.OP_READ)
                    | (drained ? 0 : SelectionKey.OP_WRITE);
            c.key.interestOps(ops);
        } catch (IOException e) {
            close(c);
        }
    }

    /** A client that sends commands but does not read the replies costs itself only. */
    private void drop(AdminConnection c) {
        dropped++;
        log.warn("event=admin_dropped " + c.describe() + " reason=not_reading queued=" + c.queuedBytes() + " limit="
                + OUTPUT_LIMIT_BYTES);
        close(c);
    }

    private void close(AdminConnection c) {
        if (connections.remove(c)) {
            openByUid.computeIfPresent(c.peer.uid(), (uid, n) -> n > 1 ? n - 1 : null);
            c.key.cancel();
            closeQuietly(c.channel);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing a socket we are done with; the peer learns of it either way.
        }
    }
}
