package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.forkcast.protocol.text.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seed 001's tags: a JSON object of string values, from a connection's {@code ?tags=} or a message's {@code
 * tags}, within the settings' count and size. Stateless; any thread.
 */
final class Tags {
    private Tags() {}

    /** Tags refused, with a reason fit to show the client. */
    static final class BadTags extends Exception {
        private static final long serialVersionUID = 1L;

        BadTags(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Parses {@code json} as tags. */
    static Map<String, String> parse(String json, WebSocketSettings settings) throws BadTags {
        try {
            return of(Json.parse(json), settings);
        } catch (Json.JsonException e) {
            throw new BadTags("tags: " + e.getMessage());
        }
    }

    /** Checks a parsed value as tags: an object of strings, within the limits. */
    static Map<String, String> of(Object value, WebSocketSettings settings) throws BadTags {
        if (!(value instanceof Map<?, ?> map)) {
            throw new BadTags("tags must be a JSON object");
        }
        if (map.size() > settings.tagsMax()) {
            throw new BadTags("tags: " + map.size() + " pairs, at most " + settings.tagsMax());
        }
        var tags = new LinkedHashMap<String, String>();
        for (var entry : map.entrySet()) {
            String key = (String) entry.getKey(); // Json's objects have string keys
            if (!(entry.getValue() instanceof String v)) {
                throw new BadTags("tags: the value of " + Json.quote(key) + " must be a string");
            }
            int max = settings.tagBytesMax();
            if (key.getBytes(UTF_8).length > max || v.getBytes(UTF_8).length > max) {
                throw new BadTags("tags: " + Json.quote(key) + " over " + max + " bytes");
            }
            tags.put(key, v);
        }
        return tags;
    }
}
