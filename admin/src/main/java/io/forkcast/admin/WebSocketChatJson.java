package io.forkcast.admin;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The wire shapes {@link WebSocketChatClient} speaks (docs/protocol.md, "The WebSocket port"): the opening URI with
 * seed 001's {@code ?tags=}, the tagged request, and the server's answer to it. Pure functions, no socket.
 */
final class WebSocketChatJson {
    private WebSocketChatJson() {}

    /** {@code uri} with {@code tags=<JSON object>} added to whatever query it has (key and secret, say). */
    static URI withTags(URI uri, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return uri;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&";
        // ws://host:8080 has no path, yet the request target must start with "/"; a WebSocket URI has no fragment.
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + "?" + query + "tags="
                + URLEncoder.encode(object(tags), StandardCharsets.UTF_8));
    }

    /** Seed 001's request: {@code {"message":..,"tags":{..},"metadata":{"key":..,"secret":..}}}, metadata if a key. */
    static String request(String message, Map<String, String> tags, String key, String secret) {
        var out = new StringBuilder("{\"message\":").append(Json.quote(message));
        if (!tags.isEmpty()) {
            out.append(",\"tags\":").append(object(tags));
        }
        if (key != null) {
            out.append(",\"metadata\":{\"key\":")
                    .append(Json.quote(key))
                    .append(",\"secret\":")
                    .append(Json.quote(secret == null ? "" : secret))
                    .append('}');
        }
        return out.append('}').toString();
    }

    /** A JSON object of string pairs, in the map's order. */
    static String object(Map<String, String> pairs) {
        var out = new StringJoiner(",", "{", "}");
        pairs.forEach((k, v) -> out.add(Json.quote(k) + ":" + Json.quote(v)));
        return out.toString();
    }

    /** The {@code type} of an event, or null when it is not a JSON object with one. */
    static String type(String event) {
        try {
            return Json.parse(event) instanceof Map<?, ?> m && m.get("type") instanceof String t ? t : null;
        } catch (IllegalArgumentException notJson) {
            return null; // ?format=text lines are not JSON
        }
    }

    /**
     * The receivers a {@code sent} answer names; a refusal ({@code error}) throws with the server's reason.
     *
     * @throws WebSocketChatException.Refused for an error answer
     * @throws IllegalArgumentException for anything that is neither
     */
    static long receivers(String answer, String server) throws WebSocketChatException.Refused {
        if (!(Json.parse(answer) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not an answer: " + answer);
        }
        if ("error".equals(m.get("type"))) {
            String reason = m.get("text") instanceof String s ? s : "";
            throw new WebSocketChatException.Refused("send refused by " + server + ": " + reason, 0, reason);
        }
        if ("sent".equals(m.get("type")) && m.get("receivers") instanceof Long n) {
            return n;
        }
        throw new IllegalArgumentException("not an answer: " + answer);
    }
}
