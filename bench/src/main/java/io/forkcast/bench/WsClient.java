package io.forkcast.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One blocking WebSocket client of the load generator (RFC 6455 by hand: the upgrade request, masked text frames
 * out, unmasked frames in; no extensions). {@link #readText()} belongs to one reader thread; {@link #send} is
 * synchronized, so any thread may send.
 */
final class WsClient implements AutoCloseable {
    private static final int MAX_FRAME_BYTES = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private WsClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16384);
        this.out = socket.getOutputStream();
    }

    /** TCP connect and the upgrade; returns once the 101 response's headers are read. */
    static WsClient open(String host, int port, int timeoutMillis) throws IOException {
        return open(host, port, "/", timeoutMillis);
    }

    /** The same for the resource {@code path} (with its query, e.g. Socket.IO's {@code /socket.io/?EIO=4...}). */
    static WsClient open(String host, int port, String path, int timeoutMillis) throws IOException {
        var socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        var client = new WsClient(socket);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = client.in.read();
            if (b < 0 || head.length() > 8192) {
                socket.close();
                throw new IOException("upgrade response cut short: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException(
                    "upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return client;
    }

    /** Sets the read timeout (0: none) once the first event is in. */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** The next text message (fragments joined); null once the peer closed. Pings are answered. */
    String readText() throws IOException {
        var message = new java.io.ByteArrayOutputStream();
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return null;
            }
            long length = b1 & 0x7f;
            if (length == 126) {
                length = ((long) readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if (length > MAX_FRAME_BYTES) {
                throw new IOException("frame of " + length + " bytes, limit " + MAX_FRAME_BYTES);
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                return null;
            }
            int opcode = b0 & 0x0f;
            if (opcode == 8) {
                return null;
            }
            if (opcode == 9) {
                frame(10, payload);
                continue;
            }
            if (opcode == 1 || opcode == 0) {
                message.write(payload);
                if ((b0 & 0x80) != 0) {
                    return message.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("end of stream inside a frame header");
        }
        return b;
    }

    void send(String text) throws IOException {
        frame(1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One final frame with a fresh mask, written in one call. */
    private synchronized void frame(int opcode, byte[] payload) throws IOException {
        int header = payload.length < 126 ? 2 : payload.length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        if (header == 2) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (header == 4) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }
}
