package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The frames the server sends (RFC 6455 section 5.2): one frame per message, FIN set, never masked. Stateless;
 * any thread.
 */
final class WsFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A control frame's payload, at most; a close frame's reason is two bytes less. */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private WsFrames() {}

    static byte[] text(String text) {
        return frame(TEXT, text.getBytes(UTF_8));
    }

    static byte[] ping(byte[] payload) {
        return frame(PING, payload);
    }

    static byte[] pong(byte[] payload) {
        return frame(PONG, payload);
    }

    /** A close frame with {@code code} and {@code reason}, cut to fit; {@code code} 0 sends an empty body. */
    static byte[] close(int code, String reason) {
        if (code == 0) {
            return frame(CLOSE, new byte[0]);
        }
        byte[] text = fit(reason == null ? "" : reason, MAX_CONTROL_PAYLOAD - 2);
        byte[] body = new byte[2 + text.length];
        body[0] = (byte) (code >> 8);
        body[1] = (byte) code;
        System.arraycopy(text, 0, body, 2, text.length);
        return frame(CLOSE, body);
    }

    /** {@code text} in UTF-8, cut at a character boundary to at most {@code maxBytes}. */
    static byte[] fit(String text, int maxBytes) {
        byte[] bytes = text.getBytes(UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // not inside a character
        }
        return java.util.Arrays.copyOf(bytes, end);
    }

    /**
     * <pre>
     *  0        1        2..3 or 2..9
     * +-+---+----+-+-------+--------------------+-------------
     * |F|000|op  |0| len7  | len16 / len64      | payload ...
     * +-+---+----+-+-------+--------------------+-------------
     *   len7 126: 16-bit length follows; 127: 64-bit; no mask key (server to client)
     * </pre>
     */
    static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int head = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[head + n];
        frame[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, head, n);
        return frame;
    }
}
