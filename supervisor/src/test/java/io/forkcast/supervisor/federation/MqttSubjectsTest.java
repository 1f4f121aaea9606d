package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MQTT topics and filters as NATS subjects, and a PUBLISH's payload between nodes. */
class MqttSubjectsTest {
    @Test
    void aTopicsLevelsAreTokensWithWhatNatsForbidsEscaped() {
        assertEquals("forkcast.mqtt.sensors.kitchen.temp", MqttSubjects.topic("sensors/kitchen/temp"));
        assertEquals("forkcast.mqtt.a~2eb.~2a.~3e.~7e.~20x", MqttSubjects.topic("a.b/*/>/~/ x"));
        assertEquals("forkcast.mqtt.~.a.~", MqttSubjects.topic("/a/"), "empty levels");
    }

    @Test
    void plusIsStarAndALastHashIsGreaterThanWithItsParent() {
        assertEquals(List.of("forkcast.mqtt.sensors.*.temp"), MqttSubjects.filter("sensors/+/temp"));
        assertEquals(List.of("forkcast.mqtt.sensors", "forkcast.mqtt.sensors.>"), MqttSubjects.filter("sensors/#"));
        assertEquals(List.of("forkcast.mqtt.>"), MqttSubjects.filter("#"));
        assertEquals(List.of("forkcast.mqtt.*.*"), MqttSubjects.filter("+/+"));
        assertEquals(List.of("forkcast.mqtt.a~2eb.~"), MqttSubjects.filter("a.b/"));
    }

    @Test
    void aPublishComesBackWithItsBytesQosAndRetainFlag() throws Exception {
        byte[] payload = {0, (byte) 0xff, 'h', 'i'};
        byte[] encoded = MqttCodec.encode("a", 17, 3, "sensors/t", payload, 1, true);
        assertEquals(
                "{\"v\":1,\"k\":\"mqtt\",\"node\":\"a\",\"inc\":17,\"n\":3,\"topic\":\"sensors/t\",\"qos\":1,"
                        + "\"retain\":true,\"payload\":\"AP9oaQ==\"}",
                new String(encoded, StandardCharsets.UTF_8));
        var back = MqttCodec.decode(encoded);
        assertEquals("sensors/t", back.topic());
        assertEquals(1, back.qos());
        assertEquals(true, back.retain());
        assertArrayEquals(payload, back.payload());
        assertThrows(
                FederationCodec.BadMessage.class,
                () -> MqttCodec.decode("{\"v\":1,\"k\":\"broker\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
