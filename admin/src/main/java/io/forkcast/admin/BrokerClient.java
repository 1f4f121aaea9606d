package io.forkcast.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A connection to forkcast's broker port (docs/protocol.md, "The broker port"): one JSON object per line each way.
 * Blocking and background-free: every method does its work on the calling thread, reads only while it waits for
 * its answer and returns or throws by a deadline. Not thread-safe: confine each client to one thread.
 *
 * <pre>
 *   connect ──login(SENDER)──▶ send* ──logout/close──▶ closed
 *   connect ──login(RECEIVER)─▶ (receive, ack)* ──logout/close──▶ closed
 * </pre>
 *
 * Every failure is one {@link BrokerException} subclass. A {@link BrokerException.Refused} leaves the connection
 * usable; a {@link BrokerException.Timeout} from {@link #receive} does too (nothing was asked), but one from
 * {@link #login}, {@link #send} or {@link #ping} closes the client, since a late answer could otherwise be taken for
 * the answer to the next request. Delivery is at least once: a receiver should drop ids it has already handled.
 */
public final class BrokerClient implements AutoCloseable {
    /** A reply line longer than this is taken as a broken server rather than buffered without end. */
    private static final int MAX_LINE_BYTES = 16 << 20;

    /** What a client logs in as. */
    public enum Role {
        SENDER,
        RECEIVER;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The answer to a send: the message's id, and how many receivers it was relayed to, or that it was stored. */
    public record Sent(long id, String channel, int receivers, boolean stored) {}

    /** One message line: ids and data (each compact JSON text, as the sender wrote it) side by side, oldest first. */
    public record Batch(String channel, List<Long> ids, List<String> data) {}

    /** A line that is not an answer: a server notice or a chat user's private message. See {@link #asides}. */
    public sealed interface Aside permits Notice, Private {}

    public record Notice(String text) implements Aside {}

    public record Private(String from, String text) implements Aside {}

    private final String server;
    private final Duration timeout;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Bytes read and not yet returned as lines: {@code buffer[start, end)}, searched for LF up to {@code scanned}. */
    private byte[] buffer = new byte[16 * 1024];

    private int start;
    private int end;
    private int scanned;
    /** Message lines read while waiting for another answer, for the next {@link #receive}. */
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    /** Notices and private lines read so far, for {@link #asides}. */
    private final List<Aside> asides = new ArrayList<>();
    /** Why the client may not be used any more; null while it may. */
    private String closedBecause;

    private BrokerClient(String server, Duration timeout, Socket socket) throws IOException {
        this.server = server;
        this.timeout = timeout;
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the broker port at {@code host:port}; {@code timeout} bounds the connect and each answer. */
    public static BrokerClient connect(String host, int port, Duration timeout) throws BrokerException {
        String server = host + ":" + port;
        var socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return new BrokerClient(server, timeout, socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new BrokerException.Unavailable("cannot connect to broker port " + server + ": " + e.getMessage(), e);
        }
    }

    /**
     * Logs in; {@code channel} is required for a receiver and is a sender's default channel (may be null). Returns
     * the channel the server confirmed (null if none).
     */
    public String login(String user, String password, Role role, String channel) throws BrokerException {
        var line = new StringBuilder("{\"command\":\"login\",\"username\":")
                .append(Json.quote(user))
                .append(",\"password\":")
                .append(Json.quote(password))
                .append(",\"role\":\"")
                .append(role.wire())
                .append('"');
        if (channel != null) {
            line.append(",\"channel\":").append(Json.quote(channel));
        }
        write(line.append('}').toString(), "login");
        try {
            var reply = await("login");
            return reply.containsKey("channel") ? string(reply, "channel") : null;
        } catch (BrokerException.Refused e) {
            throw new BrokerException.LoginRefused(e.reason());
        }
    }

    /**
     * Sends {@code dataJson} (any JSON value, checked here and sent as one line) on {@code channel} (null: the
     * login's) and waits for the server's {@code sent}. Text that is not JSON is refused with an
     * IllegalArgumentException before anything is sent.
     */
    public Sent send(String channel, String dataJson) throws BrokerException {
        String data = BrokerJson.compact(dataJson);
        var line = new StringBuilder("{\"command\":\"send\"");
        if (channel != null) {
            line.append(",\"channel\":").append(Json.quote(channel));
        }
        write(line.append(",\"data\":").append(data).append('}').toString(), "send");
        var reply = await("sent");
        try {
            return new Sent(
                    Long.parseLong(reply.get("id")),
                    reply.containsKey("channel") ? string(reply, "channel") : channel,
                    reply.containsKey("receivers") ? Integer.parseInt(reply.get("receivers")) : 0,
                    "true".equals(reply.get("stored")));
        } catch (RuntimeException e) {
            throw new BrokerException.Garbled("a sent reply from " + server + " is not the expected shape: " + reply);
        }
    }

    /**
     * The next batch for this receiver, waiting at most {@code wait}; throws {@link BrokerException.Timeout} if none
     * came (the client stays usable). Answer it with {@link #ack} once handled, or it comes again.
     */
    public Batch receive(Duration wait) throws BrokerException {
        if (!pending.isEmpty()) {
            return pending.removeFirst();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (pending.isEmpty()) {
            String line = readLine(deadline);
            if (line == null) {
                throw new BrokerException.Timeout(
                        "no message from broker port " + server + " within " + wait.toMillis() + " ms");
            }
            var reply = take(line);
            if (reply != null && reply.containsKey("error")) {
                throw refusal(reply);
            }
        }
        return pending.removeFirst();
    }

    /** Acknowledges handled messages: the server deletes them and does not deliver them again. */
    public void ack(List<Long> ids) throws BrokerException {
        var line = new StringBuilder("{\"command\":\"ack\",\"ids\":[");
        for (int i = 0; i < ids.size(); i++) {
            line.append(i == 0 ? "" : ",").append(ids.get(i).longValue());
        }
        write(line.append("]}").toString(), "ack");
    }

    /** Asks for a pong and waits for it: proof that the connection and the server's side of it are alive. */
    public void ping() throws BrokerException {
        write("{\"command\":\"ping\"}", "ping");
        await("pong");
    }

    /** Says logout, waits for the server's answer (briefly) and closes. */
    public void logout() throws BrokerException {
        try {
            write("{\"command\":\"logout\"}", "logout");
            await("logout");
        } catch (BrokerException.Closed e) {
            // The server may close before its answer is read; that is the end asked for.
        } finally {
            close();
        }
    }

    /** The notices and private lines read so far, oldest first; taking them empties the list. */
    public List<Aside> asides() {
        var taken = List.copyOf(asides);
        asides.clear();
        return taken;
    }

    @Override
    public void close() {
        if (closedBecause == null) {
            closedBecause = "the client was closed";
        }
        closeQuietly(socket);
    }

    // ---- Lines and answers ----

    /** Reads until the answer to {@code command} comes; message lines meanwhile are kept for receive(). */
    private Map<String, String> await(String command) throws BrokerException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = readLine(deadline);
            if (line == null) {
                fail("no " + command + " answer from broker port " + server + " within " + timeout.toMillis() + " ms");
                throw new BrokerException.Timeout(closedBecause);
            }
            var reply = take(line);
            if (reply == null) {
                continue;
            }
            if (reply.containsKey("error")) {
                throw refusal(reply);
            }
            if (command.equals(string(reply, "command"))) {
                return reply;
            }
        }
    }

    /**
     * Files one line: a batch goes to pending, an aside to asides, a close line throws; returns the members of
     * anything else (an answer), or null for what was filed.
     */
    private Map<String, String> take(String line) throws BrokerException {
        if (line.isBlank()) {
            return null;
        }
        Map<String, String> reply;
        String command;
        try {
            reply = BrokerJson.members(line);
            command = string(reply, "command");
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new BrokerException.Garbled("broker port " + server + " sent a line that is not a JSON object with a"
                    + " command (" + e.getMessage() + "): " + head(line));
        }
        if (reply.containsKey("error")) {
            return reply;
        }
        switch (command) {
            case "message" -> pending.addLast(batch(reply, line));
            case "notice" -> asides.add(new Notice(text(reply, "text")));
            case "private" -> asides.add(new Private(text(reply, "from"), text(reply, "text")));
            case "close" -> {
                String reason = reply.containsKey("reason") ? text(reply, "reason") : "no reason given";
                fail("broker port " + server + " closed the connection: " + reason);
                throw new BrokerException.Closed(closedBecause);
            }
            default -> {
                return reply;
            }
        }
        return null;
    }

    private Batch batch(Map<String, String> reply, String line) throws BrokerException {
        try {
            var ids = new ArrayList<Long>();
            if (reply.containsKey("ids")) {
                for (String id : BrokerJson.elements(reply.get("ids"))) {
                    ids.add(Long.parseLong(id));
                }
            }
            List<String> data = BrokerJson.elements(reply.get("data"));
            if (!ids.isEmpty() && ids.size() != data.size()) {
                throw new IllegalArgumentException(ids.size() + " ids for " + data.size() + " data");
            }
            String channel = reply.containsKey("channel") ? string(reply, "channel") : null;
            return new Batch(channel, List.copyOf(ids), List.copyOf(data));
        } catch (RuntimeException e) {
            throw new BrokerException.Garbled("a message line from " + server + " is not the expected shape ("
                    + e.getMessage() + "): " + head(line));
        }
    }

    private static BrokerException refusal(Map<String, String> reply) {
        return new BrokerException.Refused(string(reply, "command"), text(reply, "error"));
    }

    /** A member that must be a JSON string, decoded. */
    private static String string(Map<String, String> members, String name) {
        String raw = members.get(name);
        if (raw == null) {
            throw new IllegalArgumentException("no member " + name);
        }
        return (String) Json.parse(raw);
    }

    /** A member shown to people: its string, or its JSON text if it is not a string, or "" if absent. */
    private static String text(Map<String, String> members, String name) {
        String raw = members.get(name);
        return raw == null ? "" : Json.parse(raw) instanceof String text ? text : raw;
    }

    private static String head(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    // ---- Bytes on the socket ----

    private void write(String line, String command) throws BrokerException {
        usable();
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            fail("broker port " + server + " connection broke while sending " + command + ": " + e.getMessage());
            throw new BrokerException.Closed(closedBecause, e);
        }
    }

    /** The next line without its LF (or CR LF), or null at the deadline; throws Closed at end of stream. */
    private String readLine(long deadline) throws BrokerException {
        usable();
        while (true) {
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
            if (end - start > MAX_LINE_BYTES) {
                fail("a line from broker port " + server + " passed " + MAX_LINE_BYTES + " bytes");
                throw new BrokerException.Garbled(closedBecause);
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return null;
            }
            makeRoom();
            int n;
            try {
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMillis));
                n = in.read(buffer, end, buffer.length - end);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (IOException e) {
                fail("broker port " + server + " connection broke: " + e.getMessage());
                throw new BrokerException.Closed(closedBecause, e);
            }
            if (n < 0) {
                fail("broker port " + server + " closed the connection");
                throw new BrokerException.Closed(closedBecause);
            }
            end += n;
        }
    }

    /** Moves the unread bytes to the front, doubling the buffer when they fill half of it. */
    private void makeRoom() {
        if (end < buffer.length) {
            return;
        }
        int size = end - start;
        byte[] next = size * 2 > buffer.length ? new byte[buffer.length * 2] : buffer;
        System.arraycopy(buffer, start, next, 0, size);
        buffer = next;
        scanned -= start;
        start = 0;
        end = size;
    }

    private void usable() throws BrokerException {
        if (closedBecause != null) {
            throw new BrokerException.Closed("this client can no longer be used: " + closedBecause);
        }
    }

    /** Marks the client unusable for {@code why} and closes its socket. */
    private void fail(String why) {
        if (closedBecause == null) {
            closedBecause = why;
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to tell.
        }
    }
}
