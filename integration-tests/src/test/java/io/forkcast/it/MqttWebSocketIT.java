package io.forkcast.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT over WebSocket on the WebSocket port (subprotocol mqtt, binary frames), with Eclipse Paho's own WebSocket
 * transport: a Paho client subscribed to a room's topic sees what a telnet user types, a Paho publisher's line
 * shows in the room, and LIST names it an MQTT client. The chat page's WebSocket sessions on the same port go
 * on as before (WebSocketIT).
 */
@Timeout(120)
class MqttWebSocketIT {
    private static MqttClient client(ForkcastServer server, String path, String id) throws Exception {
        var client =
                new MqttClient("ws://" + server.host() + ":" + server.wsPort() + path, id, new MemoryPersistence());
        var options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setConnectionTimeout(30);
        client.connect(options);
        return client;
    }

    @Test
    void aPahoClientOverWebSocketSharesTheRoomWithTelnetUsers() throws Exception {
        try (var server = ForkcastServer.start();
                var person = server.join()) {
            person.expectLine(l -> l.endsWith("#lobby"));
            var subscriber = client(server, "/mqtt", "ws-sub");
            var publisher = client(server, "/", "ws-pub");
            try {
                var got = new LinkedBlockingQueue<String>();
                subscriber.subscribe(
                        "forkcast/rooms/lobby",
                        1,
                        (topic, message) -> got.add(new String(message.getPayload(), UTF_8)));
                person.send("hello over websocket");
                String line = got.poll(30, TimeUnit.SECONDS);
                assertNotNull(line, "the subscriber got nothing");
                assertTrue(line.endsWith(": hello over websocket"), line);

                publisher.publish("forkcast/rooms/lobby", "from paho".getBytes(UTF_8), 1, false);
                person.expectLine(l -> l.matches("\\[ws-pub\\] \\(\\d+\\): from paho"));
                assertEquals("from paho", got.poll(30, TimeUnit.SECONDS), "published to the topic once, as sent");

                try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                    var lines = admin.command("LIST");
                    assertTrue(
                            lines.stream().anyMatch(l -> l.contains("kind=mqtt client_id=ws-sub subscriptions=1")),
                            String.join("\n", lines));
                }
            } finally {
                publisher.disconnect();
                publisher.close();
                subscriber.disconnect();
                subscriber.close();
            }
        }
    }
}
