package io.forkcast.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A minimal WebSocket client on a plain JDK socket, written from RFC 6455 for the tests: the opening handshake
 * (version 13, a random key), masked text frames out, unmasked frames in (text, continuation, ping answered with
 * pong, close). Just enough to drive the server as a browser would, and to see what it answers to a refused one.
 */
final class RawWebSocket implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Every text message read so far, in order. */
    private final List<String> seen = new ArrayList<>();
    /** Pings read (and answered, unless {@link #answerPings} turned that off) and pongs read, so far. */
    private final AtomicInteger pings = new AtomicInteger();

    private final AtomicInteger pongs = new AtomicInteger();
    private volatile boolean answerPings = true;
    /** The server's close frame once read: its code (1005 for none) and reason; -1 before. */
    private volatile int closeCode = -1;

    private volatile String closeReason = "";
    /** The fragments of the message under way, and the last message completed (until {@link #read} takes it). */
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    private String completed;

    private RawWebSocket(Socket socket, DataInputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** What the server answered to an opening: its status, the whole head, and the session when it was 101. */
    record Opening(int status, String head, String body, RawWebSocket session) {}

    /** {@code ?key=..&secret=..&tags=..} of a query, each value URL-encoded; null values are left out. */
    static String query(String key, String secret, String tagsJson) {
        var parts = new ArrayList<String>();
        if (key != null) {
            parts.add("key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
        }
        if (secret != null) {
            parts.add("secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8));
        }
        if (tagsJson != null) {
            parts.add("tags=" + URLEncoder.encode(tagsJson, StandardCharsets.UTF_8));
        }
        return parts.isEmpty() ? "/" : "/?" + String.join("&", parts);
    }

    /** Opens {@code path} on host:port as a page of that same host would (its Origin). */
    static Opening open(String host, int port, String path) throws IOException {
        return open(host, port, path, List.of(), 0);
    }

    /**
     * As {@link #open(String, int, String)}, with {@code extraHeaders} ("Name: value" each) in the request and, when
     * {@code receiveBufferBytes} is above 0, that socket receive buffer (set before the connect, so TCP's window
     * stays that small).
     */
    static Opening open(String host, int port, String path, List<String> extraHeaders, int receiveBufferBytes)
            throws IOException {
        var socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(20_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String authority = host + ":" + port;
        var lines = new ArrayList<>(List.of(
                "GET " + path + " HTTP/1.1",
                "Host: " + authority,
                "Origin: http://" + authority,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)));
        lines.addAll(extraHeaders);
        lines.addAll(List.of("", ""));
        String request = String.join("\r\n", lines);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        var in = new DataInputStream(socket.getInputStream());
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        if (status == 101) {
            return new Opening(status, head, "", new RawWebSocket(socket, in));
        }
        var body = new ByteArrayOutputStream();
        try {
            in.transferTo(body);
        } catch (IOException ignored) {
            // A reset after the answer: what was read is the answer.
        }
        socket.close();
        return new Opening(status, head, body.toString(StandardCharsets.UTF_8), null);
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code text} as one masked text frame. */
    void send(String text) throws IOException {
        frame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    private void frame(int opcode, byte[] payload) throws IOException {
        sendFrame(0x80 | opcode, payload, true);
    }

    /**
     * Sends one frame as given, rules or not: {@code b0} is its first byte (FIN, the reserved bits, the opcode),
     * the payload masked with a random key when {@code masked}.
     */
    synchronized void sendFrame(int b0, byte[] payload, boolean masked) throws IOException {
        var frame = new ByteArrayOutputStream(payload.length + 14);
        frame.writeBytes(header(b0, payload.length, masked));
        byte[] mask = new byte[4];
        if (masked) {
            RANDOM.nextBytes(mask);
            frame.write(mask, 0, 4); // the key's place in the header: after the length
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Sends only a masked frame's header (its mask key included) announcing {@code length} payload bytes. */
    synchronized void header(int b0, long length) throws IOException {
        var head = new ByteArrayOutputStream(14);
        head.writeBytes(header(b0, length, true));
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        head.write(mask, 0, 4);
        out.write(head.toByteArray());
        out.flush();
    }

    /**
     * Sends a masked frame's header announcing {@code length} payload bytes and, in the same write, only the first
     * {@code payload.length} of them.
     */
    synchronized void headerAndStart(int b0, long length, byte[] payload) throws IOException {
        var start = new ByteArrayOutputStream(14 + payload.length);
        start.writeBytes(header(b0, length, true));
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        start.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            start.write(payload[i] ^ mask[i & 3]);
        }
        out.write(start.toByteArray());
        out.flush();
    }

    /** The first byte, the length byte (with the mask bit) and the extended length; no mask key. */
    private static byte[] header(int b0, long length, boolean masked) {
        var head = new ByteArrayOutputStream(10);
        int mask = masked ? 0x80 : 0;
        head.write(b0);
        if (length < 126) {
            head.write(mask | (int) length);
        } else if (length < 65536) {
            head.write(mask | 126);
            head.write((int) (length >>> 8));
            head.write((int) length);
        } else {
            head.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                head.write((int) (length >>> shift));
            }
        }
        return head.toByteArray();
    }

    /** The next text message (fragments joined; pings answered), or null once the server closed. */
    String read() throws IOException {
        while (next()) {
            if (completed != null) {
                String text = completed;
                completed = null;
                return text;
            }
        }
        return null;
    }

    /**
     * Reads one frame: a text message it completes goes to {@link #completed} (and {@link #seen}), a ping is
     * counted and answered, a pong counted, a close frame kept. False once the server closed (close frame or end
     * of stream).
     */
    private boolean next() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return false;
        }
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server masked a frame");
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        int opcode = b0 & 0x0f;
        switch (opcode) {
            case 0x9 -> {
                pings.incrementAndGet();
                if (answerPings) {
                    frame(0xA, payload);
                }
            }
            case 0xA -> pongs.incrementAndGet(); // an answer to a ping of ours, or unasked: counted only
            case 0x8 -> {
                closeReason =
                        payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                closeCode = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                return false;
            }
            case 0x0, 0x1 -> {
                message.write(payload);
                if ((b0 & 0x80) != 0) {
                    completed = message.toString(StandardCharsets.UTF_8);
                    message.reset();
                    seen.add(completed);
                }
            }
            default -> throw new IOException("unexpected opcode " + opcode);
        }
        return true;
    }

    /** Reads frames (pings answered unless turned off) until {@code count} pings came; fails if it closes first. */
    void awaitPings(int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pings.get() < count) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError(pings + " pings of " + count + " within " + timeout + "; read: " + seen);
            }
            socket.setSoTimeout((int) left);
            try {
                if (!next()) {
                    throw new AssertionError("closed (code " + closeCode + " " + closeReason + ") after " + pings
                            + " pings; read: " + seen);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError(pings + " pings of " + count + " within " + timeout + "; read: " + seen, e);
            }
        }
    }

    /** Reads messages until one matches, within {@code timeout}; fails naming what was read. */
    String expect(Predicate<String> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Frame by frame against the deadline: pings in between must not stretch the wait.
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (!next()) {
                    throw new AssertionError(
                            "the server closed (code " + closeCode + " " + closeReason + "); read: " + seen);
                }
            } catch (SocketTimeoutException e) {
                break;
            }
            String text = completed;
            completed = null;
            if (text != null && wanted.test(text)) {
                return text;
            }
        }
        throw new AssertionError("no matching message within " + timeout + "; read: " + seen);
    }

    /** Reads messages until one contains every fragment given (compact JSON: {@code "type":"sent"}). */
    String expect(String... fragments) throws IOException {
        return expect(
                text -> {
                    for (String f : fragments) {
                        if (!text.contains(f)) {
                            return false;
                        }
                    }
                    return true;
                },
                Duration.ofSeconds(20));
    }

    /**
     * Reads (text messages kept in {@link #seen}, pings answered unless turned off) until the server's close
     * frame, within {@code timeout}; its code. Fails when the connection ends or the time passes without one.
     */
    int awaitClose(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            // Frame by frame against one deadline: pings keep coming, and must not stretch the wait.
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("no close frame within " + timeout + "; read: " + seen);
                }
                socket.setSoTimeout((int) left);
                if (!next()) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within " + timeout + "; read: " + seen, e);
        }
        if (closeCode < 0) {
            throw new AssertionError("the connection ended without a close frame; read: " + seen);
        }
        return closeCode;
    }

    /** The reason of the server's close frame ("" for none); meaningful after {@link #awaitClose}. */
    String closeReason() {
        return closeReason;
    }

    /**
     * True when the server ends the TCP connection (end of stream or a reset) within {@code timeout}, reading
     * and dropping anything it still sends; false when it is still open then.
     */
    boolean awaitEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] drop = new byte[4096];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(drop) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException e) {
            return true; // a reset ends it too
        }
    }

    /** Whether a ping read is answered with a pong (it is by default). */
    void answerPings(boolean answer) {
        answerPings = answer;
    }

    /** Pings read so far. */
    int pings() {
        return pings.get();
    }

    /** Pongs read so far. */
    int pongs() {
        return pongs.get();
    }

    /** This end's address as the server sees it, {@code 127.0.0.1:port}. */
    String address() {
        return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** Every text message read so far. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws IOException {
        try {
            frame(0x8, new byte[] {0x03, (byte) 0xE8}); // 1000, normal closure
        } catch (IOException ignored) {
            // Already gone.
        }
        socket.close();
    }
}
