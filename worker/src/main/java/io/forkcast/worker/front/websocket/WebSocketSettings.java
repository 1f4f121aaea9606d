package io.forkcast.worker.front.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The WebSocket settings a worker is started with (the supervisor's ws_* settings, as flags): which origins may
 * open a session, the keep-alive ping, the largest message, and the limits on a connection's tags. Immutable.
 *
 * @param allowedOrigins origins allowed, lower case without a trailing slash; empty: the same host only (Origin's
 *     host and port equal to the Host header's); {@code *} in it: any
 * @param pingInterval a server ping after this much silence, and a close when no answer comes in as long again;
 *     zero for none
 * @param maxMessageBytes the largest message a client may send, over all its fragments
 * @param tagsMax the most pairs in {@code ?tags=} (and in a message's tags)
 * @param tagBytesMax the most bytes of UTF-8 in one tag's key, and in its value
 */
public record WebSocketSettings(
        List<String> allowedOrigins, Duration pingInterval, int maxMessageBytes, int tagsMax, int tagBytesMax) {
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65536;
    public static final int DEFAULT_TAGS_MAX = 16;
    public static final int DEFAULT_TAG_BYTES_MAX = 64;

    /** ws-spec.md's defaults: the same host only, a ping after 30 s, 64 KiB messages, 16 tags of 64 bytes. */
    public static WebSocketSettings defaults() {
        return new WebSocketSettings(
                List.of(), DEFAULT_PING_INTERVAL, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_TAGS_MAX, DEFAULT_TAG_BYTES_MAX);
    }

    /** The same settings with the largest message lowered to {@code bytes} (to fit the hub's frame). */
    public WebSocketSettings withMaxMessageBytes(int bytes) {
        return new WebSocketSettings(allowedOrigins, pingInterval, bytes, tagsMax, tagBytesMax);
    }

    /**
     * {@code --ws-allowed-origins}: a comma-separated list of origins ({@code https://chat.example.org}), {@code *}
     * for any, or empty for the same host only.
     */
    public static List<String> parseOrigins(String flag) {
        var origins = new ArrayList<String>();
        for (String part : flag.split(",", -1)) {
            String origin = normalized(part);
            if (!origin.isEmpty()) {
                origins.add(origin);
            }
        }
        return List.copyOf(origins);
    }

    /** An origin as compared: trimmed, lower case, without a trailing slash. */
    static String normalized(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
