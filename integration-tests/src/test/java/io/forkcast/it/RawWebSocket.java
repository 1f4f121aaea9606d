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
        var socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(20_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String authority = host + ":" + port;
        String request = String.join(
                "\r\n",
                "GET " + path + " HTTP/1.1",
                "Host: " + authority,
                "Origin: http://" + authority,
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce),
                "",
                "");
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

    private synchronized void frame(int opcode, byte[] payload) throws IOException {
        var frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next text message (fragments joined; pings answered), or null once the server closed. */
    String read() throws IOException {
        var message = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
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
                case 0x9 -> frame(0xA, payload);
                case 0xA -> {
                    // An unasked pong: nothing to do.
                }
                case 0x8 -> {
                    return null;
                }
                case 0x0, 0x1 -> {
                    message.write(payload);
                    if ((b0 & 0x80) != 0) {
                        String text = message.toString(StandardCharsets.UTF_8);
                        seen.add(text);
                        return text;
                    }
                }
                default -> throw new IOException("unexpected opcode " + opcode);
            }
        }
    }

    /** Reads messages until one matches, within {@code timeout}; fails naming what was read. */
    String expect(Predicate<String> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            String text;
            try {
                text = read();
            } catch (SocketTimeoutException e) {
                break;
            }
            if (text == null) {
                throw new AssertionError("the server closed; read: " + seen);
            }
            if (wanted.test(text)) {
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
