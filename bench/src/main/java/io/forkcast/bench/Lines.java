package io.forkcast.bench;

import java.nio.charset.StandardCharsets;

/**
 * The load generator's chat lines and their parsing from bytes. Relayed lines look like
 * {@code [127.0.0.1:40112] (4121): ~F 3 17 xxxx}: a tag after {@code "): "}, then decimal fields. Stateless.
 */
final class Lines {
    private Lines() {}

    /** Position just after {@code "): " + tag} in the line, or -1. */
    static int afterTag(byte[] buffer, int offset, int length, byte[] tagWithPrefix) {
        int end = offset + length - tagWithPrefix.length;
        outer:
        for (int i = offset; i <= end; i++) {
            for (int j = 0; j < tagWithPrefix.length; j++) {
                if (buffer[i + j] != tagWithPrefix[j]) {
                    continue outer;
                }
            }
            return i + tagWithPrefix.length;
        }
        return -1;
    }

    static byte[] tag(String tag) {
        return ("): " + tag + " ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses the decimal number at {@code at}; the position after it goes to {@code next[0]}. */
    static long number(byte[] buffer, int at, int end, int[] next) {
        long value = 0;
        int i = at;
        while (i < end && buffer[i] >= '0' && buffer[i] <= '9') {
            value = value * 10 + (buffer[i] - '0');
            i++;
        }
        next[0] = i + 1; // past the space
        return value;
    }

    /** {@code text} padded with 'x' to exactly {@code bytes} bytes, then CR LF. */
    static byte[] padded(String text, int bytes) {
        var sb = new StringBuilder(bytes + 2).append(text);
        while (sb.length() < bytes) {
            sb.append('x');
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
