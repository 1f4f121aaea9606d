package io.forkcast.worker.front.mqtt;

import java.nio.ByteBuffer;

/**
 * Cuts the client's bytes into packets: the first byte, the remaining length (a variable byte integer of at most
 * four bytes), then the body, which is buffered only once the whole packet's size is known to be within the
 * limit (section 2.1.4; mqtt_max_packet_bytes), so a claimed 256 MiB costs nothing. Not thread-safe.
 */
final class PacketFramer {
    private static final int SMALL = 256;

    private final int maxPacketBytes;
    private final byte[] small = new byte[SMALL];

    /** -1 while the first byte is awaited. */
    private int firstByte = -1;

    private int lengthBytes;
    private int remaining;
    /** Null while the remaining length is read. */
    private byte[] body;

    private int filled;

    PacketFramer(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    /**
     * Takes bytes from {@code in} up to the end of one packet; true when one is complete ({@link #firstByte}, {@link
     * #body} and {@link #length} tell it, until the next call). False when {@code in} ran out first.
     */
    boolean next(ByteBuffer in) throws MqttException {
        if (body != null && filled == remaining) {
            reset(); // the last packet was taken
        }
        while (body == null) {
            if (!in.hasRemaining()) {
                return false;
            }
            int b = in.get() & 0xFF;
            if (firstByte < 0) {
                firstByte = b;
                continue;
            }
            remaining |= (b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) != 0) {
                if (lengthBytes == 4) {
                    throw MqttException.malformed("the remaining length is longer than four bytes");
                }
                continue;
            }
            long size = 1L + lengthBytes + remaining;
            if (size > maxPacketBytes) {
                throw new MqttException(
                        MqttException.PACKET_TOO_LARGE,
                        "a packet of " + size + " bytes; this server takes at most " + maxPacketBytes);
            }
            body = remaining <= SMALL ? small : new byte[remaining];
        }
        int n = Math.min(in.remaining(), remaining - filled);
        in.get(body, filled, n);
        filled += n;
        return filled == remaining;
    }

    int firstByte() {
        return firstByte;
    }

    byte[] body() {
        return body;
    }

    int length() {
        return remaining;
    }

    /** True while part of a packet has been read. */
    boolean inPacket() {
        return firstByte >= 0 && !(body != null && filled == remaining);
    }

    private void reset() {
        firstByte = -1;
        lengthBytes = 0;
        remaining = 0;
        body = null;
        filled = 0;
    }
}
