package io.forkcast.supervisor.front;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TelnetDoorTest {
    @Test
    void refusalIsOneNoticeLineEndedByCrLf() {
        var bytes = TelnetDoor.INSTANCE.refusal("server full, please try again later");

        assertEquals(
                "*** server full, please try again later\r\n",
                StandardCharsets.UTF_8.decode(bytes).toString());
    }

    @Test
    void refusalIsUtf8() {
        var bytes = TelnetDoor.INSTANCE.refusal("plein, réessayez");

        assertEquals(6 + "plein, réessayez".getBytes(StandardCharsets.UTF_8).length, bytes.remaining());
    }

    @Test
    void workersAreStartedAsTelnet() {
        assertEquals("telnet", TelnetDoor.INSTANCE.name());
    }
}
