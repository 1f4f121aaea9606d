package io.forkcast.worker.front.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields of one packet's body (after the fixed header) as MQTT spells them (section 1.5): big-endian
 * integers, variable byte integers, UTF-8 strings (well-formed, no U+0000) and binary data, each checked against
 * what is left of the body; a field that runs past the end is a malformed packet. Not thread-safe.
 */
final class PacketReader {
    private final byte[] body;
    private final int end;
    private int at;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();

    PacketReader(byte[] body, int length) {
        this.body = body;
        this.end = length;
    }

    int remaining() {
        return end - at;
    }

    boolean hasRemaining() {
        return at < end;
    }

    private void need(int n, String what) throws MqttException {
        if (end - at < n) {
            throw MqttException.malformed(what + " runs past the end of the packet");
        }
    }

    int u8(String what) throws MqttException {
        need(1, what);
        return body[at++] & 0xFF;
    }

    int u16(String what) throws MqttException {
        need(2, what);
        int v = ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
        at += 2;
        return v;
    }

    long u32(String what) throws MqttException {
        need(4, what);
        long v = ((long) (body[at] & 0xFF) << 24)
                | ((body[at + 1] & 0xFF) << 16)
                | ((body[at + 2] & 0xFF) << 8)
                | (body[at + 3] & 0xFF);
        at += 4;
        return v;
    }

    /** A variable byte integer: at most four bytes, 0 to 268,435,455. */
    int varint(String what) throws MqttException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = u8(what);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw MqttException.malformed(what + " is longer than four bytes");
    }

    /** Binary data: a two-byte length and that many bytes. */
    byte[] binary(String what) throws MqttException {
        int n = u16(what);
        need(n, what);
        byte[] v = Arrays.copyOfRange(body, at, at + n);
        at += n;
        return v;
    }

    /** A UTF-8 string: well-formed (no surrogates, no overlong forms) and without U+0000, or the packet is malformed. */
    String utf8(String what) throws MqttException {
        int n = u16(what);
        need(n, what);
        String s = decode(at, n, what);
        at += n;
        return s;
    }

    /** The rest of the body as bytes (a PUBLISH's payload). */
    byte[] rest() {
        byte[] v = Arrays.copyOfRange(body, at, end);
        at = end;
        return v;
    }

    /** Skips {@code n} bytes (checked). */
    void skip(int n, String what) throws MqttException {
        need(n, what);
        at += n;
    }

    int position() {
        return at;
    }

    private String decode(int from, int n, String what) throws MqttException {
        String s;
        try {
            s = utf8.reset().decode(ByteBuffer.wrap(body, from, n)).toString();
        } catch (CharacterCodingException e) {
            throw MqttException.malformed(what + " is not well-formed UTF-8");
        }
        if (s.indexOf('\0') >= 0) {
            throw MqttException.malformed(what + " contains U+0000");
        }
        return s;
    }

    /** True when {@code bytes} are well-formed UTF-8 (a payload that says it is text, 5.0's payload format 1). */
    static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
