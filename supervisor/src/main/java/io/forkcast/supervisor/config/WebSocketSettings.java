package io.forkcast.supervisor.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The settings of WebSocket clients ({@code ws_*}), read together: the port, what the worker checks at the
 * handshake and on every message (passed to it as flags by the WebSocket front door kind), and seed 001's
 * applications file, which only the supervisor reads. Immutable.
 *
 * @param port the WebSocket port; -1 when it is off, 0 for a free one
 * @param allowedOrigins ws_allowed_origins as written: empty (same host), {@code *}, or origins separated by commas
 * @param authFile ws_auth_file, or null when there is none (anyone may open and send)
 */
public record WebSocketSettings(
        int port,
        String allowedOrigins,
        Duration pingInterval,
        int maxMessageBytes,
        int tagsMax,
        int tagBytesMax,
        Path authFile) {

    /** What a tagged line's frame carries besides its message and tags: the header, the sender and the numbers. */
    public static final int FRAME_OVERHEAD = 1024;

    /** The largest hub frame a tagged message of these limits takes: its message, every tag at its longest, more. */
    public long largestFrame() {
        return (long) maxMessageBytes + 2L * tagsMax * (tagBytesMax + 5) + FRAME_OVERHEAD;
    }

    static WebSocketSettings of(Map<String, Object> values) {
        String file = (String) values.get("ws_auth_file");
        return new WebSocketSettings(
                (Integer) values.get("ws_port"),
                (String) values.get("ws_allowed_origins"),
                (Duration) values.get("ws_ping_interval"),
                (Integer) values.get("ws_max_message_bytes"),
                (Integer) values.get("ws_tags_max"),
                (Integer) values.get("ws_tag_bytes_max"),
                file.isEmpty() ? null : Path.of(file));
    }

    /** The problem of values whose tagged messages would not fit in max_frame_bytes, or null. */
    static String frameProblem(Map<String, Object> values) {
        if (!(values.get("max_frame_bytes") instanceof Integer frame)) {
            return null;
        }
        WebSocketSettings ws;
        try {
            ws = of(values);
        } catch (ClassCastException | NullPointerException e) {
            return null; // one of them is bad, and reported as such
        }
        long needed = ws.largestFrame();
        if (needed <= frame) {
            return null;
        }
        return "ws_max_message_bytes (" + ws.maxMessageBytes + ") with ws_tags_max (" + ws.tagsMax
                + ") tags of ws_tag_bytes_max (" + ws.tagBytesMax + ") does not fit in max_frame_bytes (" + frame
                + "): a tagged message needs frames of up to " + needed + " bytes; lower ws_max_message_bytes to at"
                + " most " + Math.max(0, frame - (needed - ws.maxMessageBytes)) + " or raise max_frame_bytes";
    }

    /**
     * The parser of ws_allowed_origins: empty, {@code *}, or origins separated by commas, each {@code
     * http(s)://host[:port]} with no path (a browser's {@code Origin} header never has one); kept as written.
     */
    static Function<String, Object> origins() {
        return text -> {
            String t = text.strip();
            if (t.isEmpty() || t.equals("*")) {
                return t;
            }
            for (String entry : List.of(t.split(",", -1))) {
                String origin = entry.strip();
                if (origin.isEmpty()) {
                    throw new IllegalArgumentException("an empty origin (two commas, or one at an end)");
                }
                if (origin.equals("*")) {
                    throw new IllegalArgumentException("* stands alone, not in a list of origins");
                }
                URI uri;
                try {
                    uri = new URI(origin);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("not an origin (like https://chat.example.org): " + origin);
                }
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                        && uri.getRawQuery() == null
                        && uri.getRawFragment() == null
                        && uri.getRawUserInfo() == null;
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
                    throw new IllegalArgumentException(
                            "not an origin (scheme://host[:port], like https://chat.example.org): " + origin);
                }
            }
            return t;
        };
    }
}
