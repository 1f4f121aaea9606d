package io.forkcast.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.route.RoomBook.Configured;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomSettingsTest {

    @Test
    void namesWithOptionalQuotedTopicsThatMayHoldCommasAndQuotes() {
        assertEquals(
                List.of(
                        new Configured("lobby", "Welcome, all"),
                        new Configured("help", null),
                        new Configured("Dev.2", "say \"hi\" \\ bye")),
                RoomSettings.parse(" lobby \"Welcome, all\", #help ,Dev.2 \"say \\\"hi\\\" \\\\ bye\" "));
        assertEquals(List.of(), RoomSettings.parse(""));
        assertEquals(List.of(), RoomSettings.parse("   "));
    }

    @Test
    void badListsSayWhatIsWrong() {
        assertTrue(message("lobby,, help").contains("a room name is missing"));
        assertTrue(message("lobby,").contains("a comma with no room after it"));
        assertTrue(message("no/slash").contains("a room name has 1 to 32"));
        assertTrue(message("lobby, LOBBY").contains("room LOBBY is listed twice"));
        assertTrue(message("dev \"open").contains("no closing quote"));
        assertTrue(message("dev \"" + "x".repeat(201) + "\"").contains("201 bytes, at most 200"));
        assertTrue(message("dev \"a\" help").contains("expected a comma after dev"));
    }

    @Test
    void tooManyConfiguredRoomsForRoomsMaxIsOneProblem() throws ConfigException {
        var e = assertThrows(
                ConfigException.class, () -> Config.fromArgs(List.of("--rooms", "a, b, c", "--rooms-max", "3")));
        assertEquals(
                List.of("rooms_max (3) is below the 4 rooms that rooms and default_room make at start"), e.problems());
        assertEquals(
                "lobby",
                Config.fromArgs(List.of("--rooms", "lobby, b", "--rooms-max", "2"))
                        .defaultRoom());
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> RoomSettings.parse(text))
                .getMessage();
    }
}
