package io.forkcast.supervisor.front;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The MQTT door: a refusal is a 3.1.1 CONNACK "server unavailable", and the flag its workers get. */
class MqttDoorTest {
    @Test
    void aRefusalIsAConnackWithReturnCodeServerUnavailable() {
        var bytes = new MqttDoor(1 << 20).refusal("server full, please try again later");
        var out = new byte[bytes.remaining()];
        bytes.get(out);
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x03}, out);
    }

    @Test
    void itsWorkersAreToldTheLargestPacket() {
        var door = new MqttDoor(4096);
        assertEquals("mqtt", door.name());
        assertEquals(List.of("--mqtt-max-packet-bytes", "4096"), door.workerArguments());
    }
}
