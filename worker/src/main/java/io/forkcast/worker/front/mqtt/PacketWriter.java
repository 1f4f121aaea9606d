package io.forkcast.worker.front.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one packet: the fields of its body as MQTT spells them, then {@link #packet} puts the fixed header and
 * the remaining length in front. 5.0 properties are written into a second writer and added with {@link
 * #properties}. Not thread-safe; one per packet.
 */
final class PacketWriter {
    private byte[] bytes = new byte[32];
    private int length;

    PacketWriter u8(int v) {
        ensure(1);
        bytes[length++] = (byte) v;
        return this;
    }

    PacketWriter u16(int v) {
        ensure(2);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    PacketWriter u32(long v) {
        ensure(4);
        bytes[length++] = (byte) (v >>> 24);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    PacketWriter varint(int v) {
        do {
            int b = v & 0x7F;
            v >>>= 7;
            u8(v > 0 ? b | 0x80 : b);
        } while (v > 0);
        return this;
    }

    PacketWriter raw(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, bytes, length, v.length);
        length += v.length;
        return this;
    }

    PacketWriter binary(byte[] v) {
        return u16(v.length).raw(v);
    }

    PacketWriter utf8(String v) {
        return binary(v.getBytes(StandardCharsets.UTF_8));
    }

    /** A string property, its identifier first; nothing for null. */
    PacketWriter property(int id, String v) {
        return v == null ? this : u8(id).utf8(v);
    }

    /** User properties as name, value, name, value...; each pair is property 0x26. */
    PacketWriter userProperties(List<String> pairs) {
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            u8(0x26).utf8(pairs.get(i)).utf8(pairs.get(i + 1));
        }
        return this;
    }

    /** The properties written into {@code props}, with their length in front. */
    PacketWriter properties(PacketWriter props) {
        varint(props.length);
        ensure(props.length);
        System.arraycopy(props.bytes, 0, bytes, length, props.length);
        length += props.length;
        return this;
    }

    int length() {
        return length;
    }

    /** The whole packet: {@code firstByte} (type and flags), the remaining length, the body written so far. */
    byte[] packet(int firstByte) {
        var head = new PacketWriter().u8(firstByte).varint(length);
        byte[] packet = Arrays.copyOf(head.bytes, head.length + length);
        System.arraycopy(bytes, 0, packet, head.length, length);
        return packet;
    }

    /** How many bytes {@link #packet} makes. */
    int packetLength() {
        int lengthBytes = length < 128 ? 1 : length < 16_384 ? 2 : length < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + length;
    }

    private void ensure(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }
}
