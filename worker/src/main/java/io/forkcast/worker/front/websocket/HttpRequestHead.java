package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request head (RFC 9112), read a few bytes at a time up to {@link #MAX_BYTES}: the request line and
 * the header fields, names in lower case, a field given twice joined with commas. The worker reads nothing after
 * the head: no request it answers has a body. Confined to the worker's loop thread.
 */
final class HttpRequestHead {
    /** A head longer than this is answered 431 before any more of it is read. */
    static final int MAX_BYTES = 8 * 1024;

    /** The head as read so far; never longer than {@link #MAX_BYTES}. */
    private final byte[] bytes = new byte[MAX_BYTES];

    private int length;

    private String method;
    private String target;
    private String version;
    private final Map<String, String> fields = new LinkedHashMap<>();

    /** A head that is not HTTP, or too long: the status to answer and why. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        /** 400, or 431 for a head over {@link #MAX_BYTES}. */
        private final int status;

        BadRequest(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Takes bytes from {@code in} up to the end of the head (the bytes after it stay in {@code in}); true once the
     * head is whole and parsed.
     */
    boolean feed(ByteBuffer in) throws BadRequest {
        while (in.hasRemaining()) {
            if (length == MAX_BYTES) {
                throw new BadRequest(431, "request head over " + MAX_BYTES + " bytes");
            }
            bytes[length++] = in.get();
            if (ended()) {
                parse();
                return true;
            }
        }
        return false;
    }

    /** An empty line ends the head: CR LF CR LF, or a bare LF LF as RFC 9112 lets a server accept. */
    private boolean ended() {
        if (length < 2 || bytes[length - 1] != '\n') {
            return false;
        }
        if (bytes[length - 2] == '\n') {
            return true;
        }
        return length >= 4 && bytes[length - 2] == '\r' && bytes[length - 3] == '\n' && bytes[length - 4] == '\r';
    }

    private void parse() throws BadRequest {
        String[] lines = new String(bytes, 0, length, ISO_8859_1).split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isEmpty()) {
            first++; // RFC 9112 section 2.2: empty lines before the request line are ignored
        }
        if (first == lines.length) {
            throw new BadRequest(400, "no request line");
        }
        String[] parts = lines[first].split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line");
        }
        method = parts[0];
        target = parts[1];
        version = parts[2];
        for (int i = first + 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(colon - 1) == ' ' || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequest(400, "malformed header field");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            fields.merge(name, value, (a, b) -> a + ", " + b);
        }
    }

    String method() {
        return method;
    }

    /** The request target as sent: the path and the query. */
    String target() {
        return target;
    }

    String version() {
        return version;
    }

    /** A field's value (names in any case), or null when absent. */
    String field(String name) {
        return fields.get(name.toLowerCase(Locale.ROOT));
    }

    /** True when the comma-separated field {@code name} holds {@code token} (in any case). */
    boolean hasToken(String name, String token) {
        String value = field(name);
        if (value == null) {
            return false;
        }
        for (String part : value.split(",", -1)) {
            if (part.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }
}
