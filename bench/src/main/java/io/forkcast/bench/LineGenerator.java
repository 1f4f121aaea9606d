package io.forkcast.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Numbered lines of a fixed size for a flooding sender, written straight into a reused buffer:
 * {@code PREFIX SEQ xxx...CRLF}, {@code lineBytes} bytes before the CR LF. Not thread-safe.
 */
final class LineGenerator {
    private final byte[] prefix;
    private final int lineBytes;
    private final byte[] buffer;
    private final byte[] digits = new byte[20];
    private int lines;

    LineGenerator(String prefix, int lineBytes, int bufferBytes) {
        this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
        this.lineBytes = lineBytes;
        this.buffer = new byte[Math.max(bufferBytes, lineBytes + 2)];
    }

    /** Up to {@code max} lines numbered from {@code firstSeq}, as many as fit the buffer. */
    ByteBuffer next(long firstSeq, int max) {
        int per = lineBytes + 2;
        int count = Math.min(max, buffer.length / per);
        int at = 0;
        for (int k = 0; k < count; k++) {
            int start = at;
            System.arraycopy(prefix, 0, buffer, at, prefix.length);
            at += prefix.length;
            long seq = firstSeq + k;
            int d = digits.length;
            do {
                digits[--d] = (byte) ('0' + seq % 10);
                seq /= 10;
            } while (seq > 0);
            System.arraycopy(digits, d, buffer, at, digits.length - d);
            at += digits.length - d;
            buffer[at++] = ' ';
            int end = start + lineBytes;
            if (at < end) {
                Arrays.fill(buffer, at, end, (byte) 'x');
                at = end;
            }
            buffer[at++] = '\r';
            buffer[at++] = '\n';
        }
        lines = count;
        return ByteBuffer.wrap(buffer, 0, at);
    }

    /** Lines in the last buffer returned. */
    int lines() {
        return lines;
    }
}
