package io.forkcast.protocol.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.text.Json.JsonException;
import io.forkcast.protocol.text.Json.Numeral;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"s\":\"x\",\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1,[],{}]} ");
        assertInstanceOf(LinkedHashMap.class, v);
        var map = (Map<?, ?>) v;
        assertEquals(List.of("s", "n", "t", "f", "z", "a"), new ArrayList<>(map.keySet()));
        assertEquals("x", map.get("s"));
        assertEquals(new Numeral("-1.5e3"), map.get("n"));
        assertEquals(true, map.get("t"));
        assertEquals(false, map.get("f"));
        assertSame(Json.NULL, map.get("z"));
        assertEquals(List.of(new Numeral("1"), List.of(), Map.of()), map.get("a"));
    }

    @Test
    void scalarsAtTheTopAreValues() throws Exception {
        assertEquals("hi", Json.parse("\"hi\""));
        assertEquals(new Numeral("0"), Json.parse("0"));
        assertSame(Json.NULL, Json.parse("\r\n\tnull "));
    }

    @Test
    void writingGivesTheCompactFormBack() throws Exception {
        String in = "{ \"a\" : [ 1 , 2.50 , -0 , 1E+2 ] , \"b\" : { } , \"c\" : \"\\u00e9\\/\" }";
        assertEquals("{\"a\":[1,2.50,-0,1E+2],\"b\":{},\"c\":\"\u00e9/\"}", Json.write(Json.parse(in)));
    }

    @Test
    void numbersKeepTheirTextHoweverLarge() throws Exception {
        String big = "123456789012345678901234567890.000000000000000000001";
        assertEquals(new Numeral(big), Json.parse(big));
        assertEquals("[1e999999999,-1E-999999999]", Json.write(Json.parse("[1e999999999,-1E-999999999]")));
        assertEquals(new BigDecimal("2.5"), ((Numeral) Json.parse("2.5")).toBigDecimal());
    }

    @Test
    void numbersOutsideTheGrammarAreRefused() {
        for (String bad : new String[] {"01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "-a"}) {
            assertThrows(JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void errorsSayWhereAndWhat() {
        assertEquals("invalid JSON at 5: expected ':'", message("{\"a\" 1}"));
        assertEquals("invalid JSON at 0: unexpected end, expected a value", message(""));
        assertEquals("invalid JSON at 2: unexpected 'x' after the value", message("{}x"));
        assertEquals("invalid JSON at 1: expected a string key", message("{a:1}"));
        assertEquals("invalid JSON at 6: expected '}'", message("{\"a\":1"));
        assertEquals("invalid JSON at 3: unterminated string", message("\"ab"));
        assertEquals("invalid JSON at 1: bad escape", message("\"\\x\""));
        assertEquals("invalid JSON at 1: bad \\u escape", message("\"\\u12g4\""));
        assertEquals("invalid JSON at 1: control character in a string", message("\"\u0001\""));
        assertEquals("invalid JSON at 0: unexpected U+00E9, expected a value", message("\u00e9"));
        assertEquals("invalid JSON at 3: unexpected ']', expected a value", message("[1,]"));
        assertEquals("invalid JSON at 0: unexpected 't', expected a value", message("tru"));
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertEquals("invalid JSON at 7: duplicate key \"a\"", message("{\"a\":1,\"a\":2}"));
        assertEquals(
                7,
                assertThrows(JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"))
                        .offset());
    }

    @Test
    void nestingIsBoundedAtMaxDepth() throws Exception {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(ok, Json.write(Json.parse(ok)));
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertEquals("invalid JSON at 64: nested deeper than 64", message(deep));
        // A hundred thousand brackets cost an error, not the stack.
        assertTrue(message("{\"a\":".repeat(100_000)).endsWith("nested deeper than 64"));
    }

    @Test
    void surrogatePairsAreAcceptedAndLoneSurrogatesRefused() throws Exception {
        assertEquals("\uD83D\uDE00", Json.parse("\"\\uD83D\\uDE00\""));
        assertEquals("\uD83D\uDE00", Json.parse("\"\uD83D\uDE00\""));
        assertEquals("invalid JSON at 1: lone surrogate", message("\"\\uD83D\""));
        assertEquals("invalid JSON at 1: lone surrogate", message("\"\\uD83Dx\""));
        assertEquals("invalid JSON at 1: lone surrogate", message("\"\\uD83D\\u0041\""));
        assertEquals("invalid JSON at 1: lone surrogate", message("\"\\uDE00\""));
        assertEquals("invalid JSON at 1: lone surrogate", message("\"\uDE00\""));
        assertEquals("invalid JSON at 2: lone surrogate", message("\"a\uD83D\""));
    }

    @Test
    void quotingEscapesWhatMustBeEscaped() {
        assertEquals(
                "\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0000\\u001f\\u2028\\u2029/\u00e9\uD83D\uDE00\u007f\"",
                Json.quote("a\"b\\c\n\r\t\b\f\u0000\u001f\u2028\u2029/\u00e9\uD83D\uDE00\u007f"));
        assertEquals("\"x\uFFFDy\uFFFD\"", Json.quote("x\uD83Dy\uDE00"));
    }

    @Test
    void everyQuotedStringParsesBackToItself() throws Exception {
        var sb = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            if (!Character.isSurrogate(c)) {
                sb.append(c);
            }
        }
        String all = sb.toString();
        assertEquals(all, Json.parse(Json.quote(all)));
    }

    @Test
    void builtValuesAreWritten() {
        var map = new LinkedHashMap<String, Object>();
        map.put("command", "sent");
        map.put("id", 17L);
        map.put("receivers", 0);
        map.put("stored", true);
        map.put("ids", List.of(1L, 2L));
        map.put("x", Json.NULL);
        assertEquals(
                "{\"command\":\"sent\",\"id\":17,\"receivers\":0,\"stored\":true,\"ids\":[1,2],\"x\":null}",
                Json.write(map));
        assertThrows(IllegalArgumentException.class, () -> Json.write(null));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(1.5)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
    }

    @Test
    void onlyJsonWhitespaceIsSkipped() {
        assertEquals("invalid JSON at 0: unexpected U+00A0, expected a value", message("\u00a0{}"));
        assertEquals("invalid JSON at 2: unexpected U+000B after the value", message("{}\u000b"));
    }

    private static String message(String text) {
        return assertThrows(JsonException.class, () -> Json.parse(text)).getMessage();
    }
}
