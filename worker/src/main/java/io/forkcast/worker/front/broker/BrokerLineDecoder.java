package io.forkcast.worker.front.broker;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts a broker client's bytes into lines: each ends at LF, a CR just before it is dropped, nothing else is
 * touched (there is no telnet here). A line is held only up to the limit: at the first byte past it the sink is
 * told at once, and the rest of that line is discarded as it comes, up to its LF. Pure logic, no I/O; confined to
 * the worker's loop thread.
 */
final class BrokerLineDecoder {
    /** Receives what {@link #feed} finds, synchronously and in input order. */
    interface Sink {
        /** A complete line's bytes, its ending removed; the array is the decoder's and only valid during the call. */
        void line(byte[] bytes, int length);

        /** A line passed {@code maxLineBytes}; the rest of it, up to its LF, is discarded. */
        void lineTooLong(int maxLineBytes);
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** The bytes of the line under way; grows, doubling, to at most {@link #maxLineBytes} + 1 (a CR before LF). */
    private byte[] line = new byte[256];
    /** Bytes of the current line held in {@link #line}. */
    private int length;
    /** Set by the limits; a line longer than this (its ending not counted) is refused. */
    private int maxLineBytes;
    /** The current line passed the limit: its bytes are dropped until its LF. */
    private boolean discarding;
    /** The sink asked the feed under way to stop; cleared by the next feed. */
    private boolean stopped;

    BrokerLineDecoder(int maxLineBytes) {
        setMaxLineBytes(maxLineBytes);
    }

    /** A new limit, from the next byte on; a line already longer than it is refused when its next byte comes. */
    void setMaxLineBytes(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Stops the {@link #feed} under way after the line being handled; the rest stays in its buffer. */
    void stop() {
        stopped = true;
    }

    /** Consumes {@code in} (until {@link #stop}), handing each complete line, or overlong one, to {@code sink}. */
    void feed(ByteBuffer in, Sink sink) {
        stopped = false;
        while (in.hasRemaining() && !stopped) {
            byte b = in.get();
            if (b == LF) {
                if (discarding) {
                    discarding = false;
                } else {
                    int n = length > 0 && line[length - 1] == CR ? length - 1 : length;
                    length = 0;
                    sink.line(line, n);
                }
            } else if (discarding) {
                // The rest of an overlong line: dropped unread.
            } else if (length < maxLineBytes || (length == maxLineBytes && b == CR)) {
                append(b);
            } else {
                // Past the limit (a CR held at the limit only counts as the ending if LF comes next).
                discarding = true;
                length = 0;
                sink.lineTooLong(maxLineBytes);
            }
        }
    }

    private void append(byte b) {
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineBytes + 1));
        }
        line[length++] = b;
    }
}
