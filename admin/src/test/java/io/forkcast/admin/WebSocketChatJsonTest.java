package io.forkcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSocketChatJsonTest {

    @Test
    void tagsJoinTheQueryAfterKeyAndSecretAndABarePortGetsASlash() {
        var tags = Map.of("language", "FR");
        URI bare = WebSocketChatJson.withTags(URI.create("ws://localhost:8080"), tags);
        assertEquals("/", bare.getRawPath());
        assertEquals("tags={\"language\":\"FR\"}", URLDecoder.decode(bare.getRawQuery(), StandardCharsets.UTF_8));

        URI keyed = WebSocketChatJson.withTags(URI.create("ws://h:1/?key=application1&secret=s%26t"), tags);
        assertEquals(
                "ws://h:1/?key=application1&secret=s%26t&tags=",
                keyed.toString().replaceAll("tags=.*", "tags="));
        assertEquals(
                Map.of("language", "FR"),
                Json.parse(URLDecoder.decode(keyed.getRawQuery().replaceAll(".*tags=", ""), StandardCharsets.UTF_8)));

        URI none = URI.create("ws://h:1/?key=k");
        assertEquals(none, WebSocketChatJson.withTags(none, Map.of()));
    }

    @Test
    void aTaggedRequestIsSeed001sShapeWithMetadataOnlyWhenAKeyIsGiven() {
        var tags = new LinkedHashMap<String, String>();
        tags.put("language", "FR");
        tags.put("team", "o\"ps");
        assertEquals(
                "{\"message\":\"bonjour\",\"tags\":{\"language\":\"FR\",\"team\":\"o\\\"ps\"}}",
                WebSocketChatJson.request("bonjour", tags, null, null));
        var parsed = (Map<?, ?>) Json.parse(WebSocketChatJson.request("<b>", tags, "application2", "x&y"));
        assertEquals("<b>", parsed.get("message"));
        assertEquals(Map.of("key", "application2", "secret", "x&y"), parsed.get("metadata"));
        assertEquals(Map.of("language", "FR", "team", "o\"ps"), parsed.get("tags"));
    }

    @Test
    void theAnswerGivesTheReceiversOrTheServersReason() throws Exception {
        assertEquals(3, WebSocketChatJson.receivers("{\"type\":\"sent\",\"receivers\":3}", "h:1"));
        var refused = assertThrows(
                WebSocketChatException.Refused.class,
                () -> WebSocketChatJson.receivers(
                        "{\"type\":\"error\",\"text\":\"unknown application key or wrong secret\"}", "h:1"));
        assertEquals("unknown application key or wrong secret", refused.reason());
        assertEquals("send refused by h:1: unknown application key or wrong secret", refused.getMessage());
        assertEquals(0, refused.status());
        assertThrows(IllegalArgumentException.class, () -> WebSocketChatJson.receivers("{\"type\":\"line\"}", "h:1"));
    }

    @Test
    void typeIsReadFromJsonEventsAndNullForTextLines() {
        assertEquals("welcome", WebSocketChatJson.type("{\"type\":\"welcome\",\"id\":1}"));
        assertNull(WebSocketChatJson.type("*** ann joined"));
        assertNull(WebSocketChatJson.type("[1,2]"));
    }
}
