package io.forkcast.protocol.frame;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** The frame header's constants (drawn in {@code package-info.java}) and a hex helper for log lines. Stateless. */
public final class FrameFormat {
    public static final byte MAGIC_0 = 0x46; // 'F'
    public static final byte MAGIC_1 = 0x43; // 'C'
    public static final byte VERSION = 1;
    public static final int HEADER_BYTES = 12;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

    /** How much of an offending frame an exception keeps for its {@code head=} log field. */
    static final int HEAD_HEX_BYTES = 32;

    private static final HexFormat HEX = HexFormat.of();

    private FrameFormat() {}

    /**
     * Renders up to {@code maxBytes} bytes from {@code buf}'s position as lowercase hex without separators; the
     * buffer's position and limit are left as they were.
     */
    public static String hexHead(ByteBuffer buf, int maxBytes) {
        int count = Math.clamp(buf.remaining(), 0, Math.max(maxBytes, 0));
        var hex = new StringBuilder(2 * count);
        for (int i = 0; i < count; i++) {
            hex.append(HEX.toHexDigits(buf.get(buf.position() + i)));
        }
        return hex.toString();
    }

    /** Rejects a frame limit that leaves no room for a payload. */
    static int checkMaxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes <= HEADER_BYTES) {
            throw new IllegalArgumentException("maxFrameBytes=" + maxFrameBytes
                    + " leaves no room for a payload after the " + HEADER_BYTES + "-byte header");
        }
        return maxFrameBytes;
    }

    /** Writes a version-1 header with no flags into {@code frame[0..12)}. */
    static void writeHeader(byte[] frame, int payloadBytes, int crc) {
        frame[0] = MAGIC_0;
        frame[1] = MAGIC_1;
        frame[2] = VERSION;
        frame[3] = 0;
        putInt(frame, 4, payloadBytes);
        putInt(frame, 8, crc);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
