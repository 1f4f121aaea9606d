package io.forkcast.protocol.frame;

/**
 * How large a frame one client line can need: the line's text as Kryo writes it (up to 1.5 bytes per UTF-8 byte:
 * a 4-byte character is two UTF-16 chars of 3 bytes each) plus its envelope (frame header, class id, sender,
 * address, sequence number), which {@link #ENVELOPE_BYTES} bounds with room to spare. The supervisor checks
 * max_line_bytes against max_frame_bytes with it at start, so that no line a client may type is dropped on the
 * way for being too large a frame. Stateless.
 */
public final class LineEnvelope {
    /** Bounds everything of a Deliver, Say or ClientSaid frame but its text; measured worst case about 750. */
    public static final int ENVELOPE_BYTES = 1024;

    private LineEnvelope() {}

    /** The largest frame a line of {@code lineBytes} UTF-8 bytes can take, whatever its characters. */
    public static long frameBytesFor(int lineBytes) {
        return (long) lineBytes * 3 / 2 + 1 + ENVELOPE_BYTES;
    }
}
