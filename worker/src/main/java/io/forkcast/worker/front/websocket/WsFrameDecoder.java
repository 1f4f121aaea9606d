package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads a client's frames (RFC 6455 section 5), whole or a byte at a time: unmasks them, joins fragments into
 * messages, and checks every rule before anything is allocated for a frame. The masking bit, the reserved bits
 * and opcodes, control frames (at most 125 bytes, never fragmented), continuations out of place, the message size
 * (refused from the frame header, before buffering), and UTF-8 as the bytes arrive (at the first bad byte, even
 * with a character split across frames). The first violation ends the decoding; its close code goes to the
 * {@link Sink}. Confined to the worker's loop thread.
 *
 * <pre>
 *   HEADER --2..14 bytes--> PAYLOAD --length bytes--> HEADER ...    any violation, or a close frame: DONE
 * </pre>
 */
final class WsFrameDecoder {
    /** Close codes (RFC 6455 section 7.4.1). */
    static final int NORMAL = 1000;

    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int UNSUPPORTED_DATA = 1003;
    /** Received as "no code in the close frame"; never sent. */
    static final int NO_STATUS = 1005;

    static final int INVALID_DATA = 1007;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;

    /** What the decoder finds. */
    interface Sink {
        /** A whole text message, UTF-8 checked. */
        void text(String message);

        /** A whole binary message, once {@link #acceptBinary} allowed them (MQTT over WebSocket). */
        default void binary(byte[] message) {}

        /** A ping: answered with a pong of the same payload. */
        void ping(byte[] payload);

        /** A pong (an answer to our ping, or unasked). */
        void pong();

        /** The client's close frame: {@code code} is {@link #NO_STATUS} when it sent none. Decoding is over. */
        void close(int code, String reason);

        /** A violation: the connection is to be closed with {@code code}. Decoding is over. */
        void violation(int code, String reason);
    }

    /** The largest message, in bytes, over all its fragments; fixed. */
    private final int maxMessageBytes;
    /** The header under way: 2 bytes, up to 8 of extended length, 4 of mask key. */
    private final byte[] head = new byte[14];

    private int headLength;
    /** The mask key of the frame under way (every client frame has one). */
    private final byte[] maskKey = new byte[4];
    /** The frame under way, once its header is read: opcode, FIN, payload length, bytes of it read so far. */
    private int opcode;

    private boolean fin;
    private long payloadLength;
    private long payloadRead;
    private boolean inPayload;
    /** The current control frame's payload (at most 125 bytes). */
    private final byte[] control = new byte[WsFrames.MAX_CONTROL_PAYLOAD];
    /** The message under way (a text message's fragments so far); grows only as its bytes arrive. */
    private byte[] message = new byte[256];

    private int messageLength;
    /** True between a first fragment without FIN and the continuation with FIN. */
    private boolean fragmented;

    private final Utf8Validator utf8 = new Utf8Validator();
    /** Set by a violation or a close frame: nothing more is read. */
    private boolean done;
    /** Set by {@link #stop} during a feed: it returns after the message just handed on. */
    private boolean stopped;
    /** Set by {@link #acceptBinary}: binary messages are taken, text ones refused (1003). */
    private boolean binary;
    /** The opcode of the message under way (TEXT or BINARY), from its first fragment. */
    private int messageOpcode;

    WsFrameDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Consumes {@code in} until it is empty, a violation or close ends decoding, or {@link #stop} is called. */
    void feed(ByteBuffer in, Sink sink) {
        stopped = false;
        while (in.hasRemaining() && !done && !stopped) {
            if (!inPayload) {
                head[headLength++] = in.get();
                if (headerComplete()) {
                    startFrame(sink);
                }
            } else {
                payload(in, sink);
            }
        }
    }

    /**
     * From now on binary messages are the data (MQTT over WebSocket, whose packets travel in binary frames) and a
     * text message is refused with 1003.
     */
    void acceptBinary() {
        binary = true;
    }

    /** Ends the feed under way after the current message (the hub's backlog is full). */
    void stop() {
        stopped = true;
    }

    /** True once nothing more will be decoded (the client closed, or broke a rule). */
    boolean done() {
        return done;
    }

    /** The header is whole once its length field and mask key are in. */
    private boolean headerComplete() {
        if (headLength < 2) {
            return false;
        }
        int len7 = head[1] & 0x7F;
        int extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int mask = (head[1] & 0x80) != 0 ? 4 : 0;
        return headLength == 2 + extended + mask;
    }

    private void startFrame(Sink sink) {
        int b0 = head[0] & 0xFF;
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        boolean masked = (head[1] & 0x80) != 0;
        int len7 = head[1] & 0x7F;
        payloadLength = len7;
        if (len7 == 126) {
            payloadLength = (long) (((head[2] & 0xFF) << 8) | (head[3] & 0xFF));
        } else if (len7 == 127) {
            payloadLength = 0;
            for (int i = 0; i < 8; i++) {
                payloadLength = (payloadLength << 8) | (head[2 + i] & 0xFF);
            }
        }
        if (masked) {
            System.arraycopy(head, 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0), maskKey, 0, 4);
        }
        headLength = 0;
        payloadRead = 0;
        String problem = problem(b0, masked, len7);
        if (problem != null) {
            fail(sink, problem.endsWith("not supported") ? UNSUPPORTED_DATA : PROTOCOL_ERROR, problem);
            return;
        }
        if (opcode < 0x8 && (long) messageLength + payloadLength > maxMessageBytes) {
            fail(sink, TOO_BIG, "message over " + maxMessageBytes + " bytes");
            return;
        }
        if (opcode == WsFrames.TEXT || opcode == WsFrames.BINARY) {
            messageOpcode = opcode;
            messageLength = 0;
            utf8.reset();
        }
        inPayload = true;
        if (payloadLength == 0) {
            endFrame(sink);
        }
    }

    /** What is wrong with the frame header just read, or null. */
    private String problem(int b0, boolean masked, int len7) {
        if ((b0 & 0x70) != 0) {
            return "reserved bits set";
        }
        if (!masked) {
            return "client frame not masked";
        }
        if (opcode >= 0x8) {
            if (opcode > WsFrames.PONG) {
                return "reserved control opcode " + opcode;
            }
            if (!fin) {
                return "fragmented control frame";
            }
            return len7 > WsFrames.MAX_CONTROL_PAYLOAD ? "control frame over 125 bytes" : null;
        }
        if (opcode > WsFrames.BINARY) {
            return "reserved data opcode " + opcode;
        }
        if (payloadLength < 0) {
            return "64-bit length with its top bit set";
        }
        if (opcode == WsFrames.CONTINUATION && !fragmented) {
            return "continuation frame without a message under way";
        }
        if (opcode != WsFrames.CONTINUATION && fragmented) {
            return "new message before the last one's final fragment";
        }
        if (opcode == WsFrames.BINARY && !binary) {
            return "binary messages are not supported";
        }
        return opcode == WsFrames.TEXT && binary ? "text messages are not supported" : null;
    }

    private void payload(ByteBuffer in, Sink sink) {
        int n = (int) Math.min(in.remaining(), payloadLength - payloadRead);
        boolean isControl = opcode >= 0x8;
        byte[] into;
        int at;
        if (isControl) {
            into = control;
            at = (int) payloadRead;
        } else {
            if (messageLength + n > message.length) {
                message = Arrays.copyOf(message, Math.max(message.length * 2, messageLength + n));
            }
            into = message;
            at = messageLength;
        }
        in.get(into, at, n);
        for (int i = 0; i < n; i++) {
            into[at + i] ^= maskKey[(int) ((payloadRead + i) & 3)];
        }
        payloadRead += n;
        if (!isControl) {
            messageLength += n;
            if (messageOpcode == WsFrames.TEXT && !utf8.accept(into, at, n)) {
                fail(sink, INVALID_DATA, "text is not UTF-8");
                return;
            }
        }
        if (payloadRead == payloadLength) {
            endFrame(sink);
        }
    }

    private void endFrame(Sink sink) {
        inPayload = false;
        int length = (int) payloadLength;
        if (opcode == WsFrames.PING) {
            sink.ping(Arrays.copyOf(control, length));
        } else if (opcode == WsFrames.PONG) {
            sink.pong();
        } else if (opcode == WsFrames.CLOSE) {
            closeFrame(sink, length);
        } else if (!fin) {
            fragmented = true;
        } else {
            fragmented = false;
            if (messageOpcode == WsFrames.BINARY) {
                byte[] data = Arrays.copyOf(message, messageLength);
                messageLength = 0;
                sink.binary(data);
                return;
            }
            if (!utf8.complete()) {
                fail(sink, INVALID_DATA, "text ends inside a UTF-8 character");
                return;
            }
            String text = new String(message, 0, messageLength, UTF_8);
            messageLength = 0;
            if (message.length > 64 * 1024) {
                message = new byte[256]; // a large message's buffer is not kept for the session
            }
            sink.text(text);
        }
    }

    /** The client's close frame: a code (two bytes) and a UTF-8 reason, or nothing at all. */
    private void closeFrame(Sink sink, int length) {
        if (length == 0) {
            done = true;
            sink.close(NO_STATUS, "");
            return;
        }
        int code = length < 2 ? 0 : ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
        if (!validCloseCode(code)) {
            fail(sink, PROTOCOL_ERROR, length < 2 ? "close frame of one byte" : "invalid close code " + code);
            return;
        }
        var reason = new Utf8Validator();
        if (!reason.accept(control, 2, length - 2) || !reason.complete()) {
            fail(sink, PROTOCOL_ERROR, "close reason is not UTF-8");
            return;
        }
        done = true;
        sink.close(code, new String(control, 2, length - 2, UTF_8));
    }

    /** The codes a peer may send (RFC 6455 section 7.4, and the registry's 1012-1014), and 3000-4999. */
    static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private void fail(Sink sink, int code, String reason) {
        done = true;
        sink.violation(code, reason);
    }
}
