package io.forkcast.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How LIST shows a client of each kind: an MQTT client's line ends with its client id and subscriptions. */
class ClientFormatTest {
    private static AdminOps.ClientSnapshot mqtt(String clientId, int subscriptions) {
        return new AdminOps.ClientSnapshot(
                4,
                "127.0.0.1:50700",
                4400,
                null,
                3,
                1,
                7,
                2,
                0,
                null,
                null,
                "mqtt",
                null,
                null,
                null,
                clientId,
                subscriptions);
    }

    @Test
    void anMqttClientsLineEndsWithItsClientIdAndSubscriptions() {
        assertEquals(
                "4 127.0.0.1:50700 pid=4400 name=- age=3 idle=1 in=7 out=2 queued=0 room=- user=- cpu=- rss=- pss=-"
                        + " threads=- fds=- kind=mqtt client_id=sensor-1 subscriptions=2",
                ClientFormat.line(mqtt("sensor-1", 2)));
        assertTrue(ClientFormat.line(mqtt(null, 0)).endsWith(" kind=mqtt client_id=- subscriptions=0"));
    }

    @Test
    void anMqttClientInJsonHasItsClientIdAndSubscriptions() {
        var out = new StringBuilder();
        ClientFormat.json(out, mqtt("sensor-1", 2), null);
        assertTrue(out.toString().contains("\"client_id\":\"sensor-1\",\"subscriptions\":2"), out.toString());
    }
}
