package io.forkcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerJsonTest {
    @Test
    void compactDropsSpaceAndLineBreaksOutsideStringsOnly() {
        assertEquals(
                "{\"a\":[1,2.5e-3,\"x \\n y\"],\"b\":{}}",
                BrokerJson.compact(" {\n \"a\" : [ 1 ,\r\n 2.5e-3, \"x \\n y\" ] ,\t\"b\":{ } }\n"));
    }

    @Test
    void compactKeepsNumbersOfAnySizeAsWritten() {
        assertEquals(
                "[123456789012345678901234567890,-0.10]",
                BrokerJson.compact("[123456789012345678901234567890, -0.10]"));
    }

    @Test
    void compactRefusesWhatIsNotExactlyOneValue() {
        for (String bad : List.of(
                "",
                "{",
                "[1,]",
                "{\"a\"}",
                "01",
                "1.",
                "-",
                "1e",
                "\"a\nb\"",
                "\"\\x\"",
                "\"\\u12g4\"",
                "tru",
                "1 2",
                "{a:1}")) {
            assertThrows(IllegalArgumentException.class, () -> BrokerJson.compact(bad), bad);
        }
    }

    @Test
    void membersGivesEachValueAsCompactTextWithDecodedNames() {
        assertEquals(
                Map.of("command", "\"message\"", "data", "[{\"t\":1},\"x\"]", "ids", "[17,18]", "a\"b", "null"),
                BrokerJson.members(
                        "{\"command\":\"message\", \"data\": [ {\"t\": 1}, \"x\"],\"ids\":[17, 18],\"a\\\"b\":null}"));
    }

    @Test
    void elementsSplitsAnArrayWithoutTouchingItsValues() {
        assertEquals(List.of("{\"a\":[1,{}]}", "\"]\"", "3"), BrokerJson.elements("[{\"a\":[1,{}]}, \"]\", 3]"));
        assertEquals(List.of(), BrokerJson.elements(" [ ] "));
    }

    @Test
    void nestingIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> BrokerJson.compact("[".repeat(100) + "]".repeat(100)));
    }
}
