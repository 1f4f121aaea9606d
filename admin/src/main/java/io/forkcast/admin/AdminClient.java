package io.forkcast.admin;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection to forkcast's admin socket with one typed method per command. Every call has a deadline (the
 * timeout given at connect); failures are {@link AdminException}s that say which socket and which command. Not
 * thread-safe: one connection per thread, or one per request.
 */
public final class AdminClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** A reply line longer than this is taken as a broken server rather than buffered without end. */
    private static final int MAX_LINE_BYTES = 64 << 20;

    private static final String START = "=== START ===";
    private static final String END = "=== END ===";

    private final Path socket;
    private final Duration timeout;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    /** Bytes read and not yet returned as lines: {@code buffer[start, end)}, searched up to {@code scanned}. */
    private byte[] buffer = new byte[16 * 1024];

    private int start;
    private int end;
    private int scanned;

    private AdminClient(Path socket, Duration timeout, SocketChannel channel) throws IOException {
        this.socket = socket;
        this.timeout = timeout;
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /**
     * The admin socket to use when none is named: {@code $FORKCAST_ADMIN_SOCKET}, else {@code run/admin.sock} in
     * the working directory (where {@code scripts/forkcast run} puts it by default).
     */
    public static Path defaultSocket() {
        String env = System.getenv("FORKCAST_ADMIN_SOCKET");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("run", "admin.sock");
    }

    public static AdminClient connect(Path socket) throws AdminException {
        return connect(socket, DEFAULT_TIMEOUT);
    }

    public static AdminClient connect(Path socket, Duration timeout) throws AdminException {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new AdminClient(socket, timeout, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            if (String.valueOf(e.getMessage()).contains("No such file")) {
                throw new AdminException.Unavailable(
                        "no admin socket at " + socket + " (is forkcast running, and with that --runtime-dir?)", e);
            }
            throw new AdminException.Unavailable(
                    "cannot connect to admin socket " + socket + ": " + e.getMessage()
                            + (String.valueOf(e.getMessage()).contains("Permission denied")
                                    ? " (see --admin-group)"
                                    : ""),
                    e);
        }
    }

    /** Every connected client, in order of arrival ({@code LIST JSON}). */
    public List<ClientInfo> list() throws AdminException {
        var json = jsonReply("LIST JSON");
        var clients = new ArrayList<ClientInfo>();
        try {
            for (Object item : (List<?>) json.get("clients")) {
                var c = (Map<?, ?>) item;
                clients.add(new ClientInfo(
                        number(c, "id"),
                        (String) c.get("peer"),
                        number(c, "pid"),
                        (String) c.get("name"),
                        number(c, "age"),
                        number(c, "idle"),
                        number(c, "in"),
                        number(c, "out"),
                        number(c, "queued"),
                        (String) c.get("room"),
                        (String) c.get("user"),
                        (String) c.get("kind"),
                        usage(c)));
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new AdminException("LIST JSON from " + socket + " is not the expected shape: " + json, e);
        }
        return List.copyOf(clients);
    }

    /** The usage fields of one LIST JSON client; null when the server has not sampled it (or does not sample). */
    private static ClientInfo.Usage usage(Map<?, ?> c) {
        if (!(c.get("cpu") instanceof Number cpu)) {
            return null;
        }
        return new ClientInfo.Usage(
                cpu.doubleValue(),
                c.get("cpu_percent") instanceof Number n ? n.doubleValue() : 0,
                c.get("rss") instanceof Number n ? n.longValue() : -1,
                c.get("pss") instanceof Number n ? n.longValue() : -1,
                c.get("threads") instanceof Number n ? n.intValue() : -1,
                c.get("fds") instanceof Number n ? n.intValue() : -1);
    }

    /** The server's last ten minutes, oldest first ({@code HISTORY JSON}). */
    public List<HistoryPoint> history() throws AdminException {
        var json = jsonReply("HISTORY JSON");
        var points = new ArrayList<HistoryPoint>();
        try {
            for (Object item : (List<?>) json.get("points")) {
                var p = (List<?>) item;
                points.add(new HistoryPoint(
                        ((Number) p.get(0)).longValue(),
                        ((Number) p.get(1)).longValue(),
                        ((Number) p.get(2)).longValue(),
                        ((Number) p.get(3)).longValue()));
            }
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new AdminException("HISTORY JSON from " + socket + " is not the expected shape: " + json, e);
        }
        return List.copyOf(points);
    }

    /** Every counter and gauge in Prometheus text format ({@code METRICS}), each line ended by LF. */
    public String metrics() throws AdminException {
        var out = new StringBuilder();
        for (String line : command("METRICS")) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** Every room, in order of creation ({@code LIST ROOMS JSON}). */
    public List<RoomInfo> rooms() throws AdminException {
        var json = jsonReply("LIST ROOMS JSON");
        var rooms = new ArrayList<RoomInfo>();
        try {
            for (Object item : (List<?>) json.get("rooms")) {
                var r = (Map<?, ?>) item;
                rooms.add(new RoomInfo((String) r.get("name"), number(r, "members"), (String) r.get("topic")));
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new AdminException("LIST ROOMS JSON from " + socket + " is not the expected shape: " + json, e);
        }
        return List.copyOf(rooms);
    }

    /**
     * Shows {@code text} to every member of {@code room} as {@code *** admin: text}; returns how many clients it
     * was sent to. A room that does not exist is thrown as {@link AdminException.Refused}.
     */
    public int sendRoom(String room, String text) throws AdminException {
        String name = oneLine(room, "room").strip();
        if (name.isEmpty() || name.contains(" ") || name.contains("\t")) {
            throw new AdminException("a room name is one word: " + room);
        }
        String reply = single("SEND ROOM " + name + " " + oneLine(text, "text"), -1);
        try {
            return Integer.parseInt(reply.substring("OK ".length()).strip());
        } catch (RuntimeException e) {
            throw new AdminException("unexpected reply to SEND ROOM from " + socket + ": " + reply);
        }
    }

    /** Shows {@code text} to one client as {@code *** admin: text}; line breaks in it become spaces. */
    public void send(long clientId, String text) throws AdminException {
        String line = "SEND MESSAGE " + clientId + " " + oneLine(text, "text");
        expectOk(line, clientId);
    }

    /** Shows {@code text} to every client; returns how many clients it was sent to. */
    public int broadcast(String text) throws AdminException {
        String reply = single("BROADCAST " + oneLine(text, "text"), -1);
        try {
            return Integer.parseInt(reply.substring("OK ".length()).strip());
        } catch (RuntimeException e) {
            throw new AdminException("unexpected reply to BROADCAST from " + socket + ": " + reply);
        }
    }

    /** Disconnects one client, telling it {@code reason} (may be empty). */
    public void kick(long clientId, String reason) throws AdminException {
        String why = reason == null
                ? ""
                : reason.replace('\r', ' ').replace('\n', ' ').strip();
        expectOk("KICK " + clientId + (why.isEmpty() ? "" : " " + why), clientId);
    }

    /** The server's counters ({@code STATS JSON}). */
    public AdminStats stats() throws AdminException {
        var json = jsonReply("STATS JSON");
        var values = new LinkedHashMap<String, Long>();
        for (var e : json.entrySet()) {
            if (!(e.getKey() instanceof String name) || !(e.getValue() instanceof Long value)) {
                throw new AdminException("STATS JSON from " + socket + " has a counter that is not a whole number: "
                        + e.getKey() + "=" + e.getValue());
            }
            values.put(name, value);
        }
        return new AdminStats(values);
    }

    /**
     * Sends one command line as it is and returns the reply: the one {@code OK ...} line, or the lines between
     * {@code === START ===} and {@code === END ===}. An {@code ERROR} reply is thrown as
     * {@link AdminException.Refused}. A line break (CR or LF) in {@code line} is refused with an
     * {@link IllegalArgumentException} before anything is sent: it would end the command early and start another.
     */
    public List<String> command(String line) throws AdminException {
        refuseLineBreaks(line, "command");
        write(line);
        String first = readLine(line);
        if (first.equals(START)) {
            var body = new ArrayList<String>();
            for (String next = readLine(line); !next.equals(END); next = readLine(line)) {
                body.add(next);
            }
            return body;
        }
        if (first.startsWith("ERROR")) {
            throw refusal(line, first.substring("ERROR".length()).strip(), -1);
        }
        if (first.equals("OK") || first.startsWith("OK ")) {
            return List.of(first);
        }
        throw new AdminException("unexpected reply to " + word(line) + " from " + socket + ": " + first);
    }

    @Override
    public void close() {
        closeQuietly(selector);
        closeQuietly(channel);
    }

    // ---- Replies ----

    private Map<?, ?> jsonReply(String line) throws AdminException {
        String reply = single(line, -1);
        try {
            return (Map<?, ?>) Json.parse(reply.substring("OK".length()).strip());
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new AdminException(line + " from " + socket + " did not answer with a JSON object: " + reply, e);
        }
    }

    private static long number(Map<?, ?> object, String key) {
        return (Long) object.get(key);
    }

    private void expectOk(String line, long clientId) throws AdminException {
        String reply = single(line, clientId);
        if (!reply.equals("OK")) {
            throw new AdminException("unexpected reply to " + word(line) + " from " + socket + ": " + reply);
        }
    }

    private String single(String line, long clientId) throws AdminException {
        try {
            var reply = command(line);
            if (reply.size() != 1) {
                throw new AdminException("unexpected multi-line reply to " + word(line) + " from " + socket);
            }
            return reply.getFirst();
        } catch (AdminException.ClientNotFound e) {
            throw e;
        } catch (AdminException.Refused e) {
            throw refusal(line, e.reason(), clientId);
        }
    }

    private AdminException refusal(String line, String reason, long clientId) {
        if (reason.equals("permission denied")) {
            return new AdminException.Unavailable("admin socket " + socket + " refused this user (uid " + currentUid()
                    + "): permission denied; see --admin-group");
        }
        if (reason.equals("Client Not Found") && clientId >= 0) {
            return new AdminException.ClientNotFound(word(line), clientId);
        }
        return new AdminException.Refused(word(line), reason);
    }

    private static String currentUid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return System.getProperty("user.name");
        }
    }

    private static String oneLine(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        return text.replace('\r', ' ').replace('\n', ' ');
    }

    /** Throws if {@code text} is empty or holds a CR or LF, which would split one command into two. */
    public static void refuseLineBreaks(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(
                    "the " + what + " contains a line break (CR or LF); an admin command is one line");
        }
    }

    /** The command word(s) of a line, for messages: never the text an operator typed. */
    private static String word(String line) {
        String[] words = line.strip().split("\\s+", 3);
        return words.length > 1 && words[0].equalsIgnoreCase("SEND") ? words[0] + " " + words[1] : words[0];
    }

    // ---- Bytes on the socket, with a deadline ----

    private void write(String line) throws AdminException {
        var bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    await(SelectionKey.OP_WRITE, deadline, line);
                }
            }
        } catch (AdminException e) {
            throw e;
        } catch (IOException e) {
            // A server that turned us away has closed already; its one line may still be waiting to be read.
            String said = lineIfAny();
            if (said != null && said.startsWith("ERROR")) {
                throw refusal(line, said.substring("ERROR".length()).strip(), -1);
            }
            throw new AdminException("admin socket " + socket + " closed the connection: " + e.getMessage(), e);
        }
    }

    private String lineIfAny() {
        try {
            readSome();
        } catch (IOException e) {
            // Whatever arrived before the error is still in the buffer.
        }
        return takeLine();
    }

    private String readLine(String command) throws AdminException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = takeLine();
            if (line != null) {
                return line;
            }
            int n;
            try {
                n = readSome();
            } catch (IOException e) {
                throw new AdminException(
                        "admin socket " + socket + " failed while answering " + word(command) + ": " + e.getMessage(),
                        e);
            }
            if (n < 0) {
                throw new AdminException(
                        "admin socket " + socket + " closed the connection before answering " + word(command));
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline, command);
            }
            if (end - start > MAX_LINE_BYTES) {
                throw new AdminException("a line of the reply to " + word(command) + " from " + socket + " passed "
                        + MAX_LINE_BYTES + " bytes");
            }
        }
    }

    /** Reads what the channel has into the buffer, making room first; returns the count, or -1 at end of stream. */
    private int readSome() throws IOException {
        if (end == buffer.length) {
            int size = end - start;
            byte[] next = size * 2 > buffer.length ? new byte[buffer.length * 2] : buffer;
            System.arraycopy(buffer, start, next, 0, size);
            buffer = next;
            scanned -= start;
            start = 0;
            end = size;
        }
        int n = channel.read(ByteBuffer.wrap(buffer, end, buffer.length - end));
        if (n > 0) {
            end += n;
        }
        return n;
    }

    /** The next complete line from what has been read, without its LF (or CR LF); null if there is none yet. */
    private String takeLine() {
        for (int i = Math.max(start, scanned); i < end; i++) {
            if (buffer[i] == '\n') {
                int lineEnd = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                String line = new String(buffer, start, lineEnd - start, StandardCharsets.UTF_8);
                start = i + 1;
                scanned = start;
                return line;
            }
        }
        scanned = end;
        return null;
    }

    private void await(int op, long deadline, String command) throws AdminException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AdminException.Timeout("no reply from admin socket " + socket + " within " + timeout.toMillis()
                    + " ms to " + word(command));
        }
        try {
            key.interestOps(op);
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        } catch (IOException e) {
            throw new AdminException("waiting on admin socket " + socket + " failed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Nothing left to tell.
        }
    }
}
