package io.forkcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesTheShapesTheAdminSocketSends() {
        var value = Json.parse(" {\"clients\":[{\"id\":3,\"name\":null,\"ok\":true,\"x\":-1.5e2}],\"n\":0} ");
        var map = (Map<?, ?>) value;
        var client = (Map<?, ?>) ((List<?>) map.get("clients")).getFirst();
        assertEquals(3L, client.get("id"));
        assertTrue(client.containsKey("name") && client.get("name") == null);
        assertEquals(true, client.get("ok"));
        assertEquals(-150.0, client.get("x"));
        assertEquals(0L, map.get("n"));
    }

    @Test
    void quoteAndParseRoundTripAnyText() {
        String text = "<script>alert(\"1\")</script> & \\ \n\t\u0001 ünï \u2028 😀";
        String quoted = Json.quote(text);
        assertTrue(quoted.indexOf('<') < 0 && quoted.indexOf('>') < 0 && quoted.indexOf('&') < 0, quoted);
        assertEquals(text, Json.parse(quoted));
        assertEquals("null", Json.quote(null));
    }

    @Test
    void rejectsWhatIsNotJsonSayingWhere() {
        for (var bad : List.of("", "{", "{\"a\" 1}", "[1,]", "\"open", "tru", "{\"a\":1} x", "\"\\x\"", "01x")) {
            var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("not JSON: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
    }
}
