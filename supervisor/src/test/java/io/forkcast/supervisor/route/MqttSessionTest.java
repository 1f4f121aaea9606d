package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.protocol.message.WorkerMessage.MqttResume;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MQTT sessions over time and settings: message expiry, a session resumed after a supervisor restart, the server's
 * cap on messages in flight, mqtt_allow_anonymous and mqtt_room_format.
 */
class MqttSessionTest {
    private static final long HOUR = 3600;
    private long nextId = 1;
    private long nextSeq = 1;

    private final Router router = new Router(
            "node-a",
            new Frames(65536, EventLog.of("role=test")),
            new Delivery(System.nanoTime() - 1, 1 << 20),
            new RoomBook("lobby", List.of(), 10),
            new Limits(4096, 20, 50, 100, 1 << 20),
            List.of());

    private Member worker(TestMailbox box) {
        long id = nextId++;
        return router.join(new ClientRef("node-a", id, "127.0.0.1:" + (7000 + id), 300 + id, 7, "mqtt"), box);
    }

    private Member client(TestMailbox box, String clientId, boolean clean, long expiry, int receiveMaximum) {
        var member = worker(box);
        router.mqtt()
                .connect(member, new MqttConnect(1, 5, clientId, clean, expiry, receiveMaximum, 0, null, null, null));
        assertEquals(0, box.all(MqttConnAck.class).get(0).reasonCode(), box.received.toString());
        return member;
    }

    private void publish(Member from, String topic, int qos, MqttProperties props) {
        router.mqtt()
                .publish(
                        from,
                        new MqttPublish(
                                nextSeq++,
                                topic,
                                "m".getBytes(StandardCharsets.UTF_8),
                                qos,
                                false,
                                qos == 0 ? 0 : 9,
                                props));
    }

    @Test
    void aQueuedMessagePastItsExpiryIsDroppedAndAFreshOneCarriesWhatIsLeft() {
        var sub = client(new TestMailbox(), "sub", false, HOUR, 65535);
        router.mqtt().subscribe(sub, 1, List.of(new MqttFilter("t", 1, false, false, 0, 0)));
        router.left(sub);
        var pub = client(new TestMailbox(), "pub", true, 0, 65535);
        var shortLived = new MqttProperties(-1, 1, null, null, null, List.of());
        publish(pub, "t", 1, shortLived);
        var longLived = new MqttProperties(-1, 600, null, null, null, List.of());
        publish(pub, "t", 1, longLived);
        long later = System.nanoTime() + 2_000_000_000L;
        router.mqtt().clock(() -> later); // two seconds on: the one-second message expired while it waited
        var box = new TestMailbox();
        client(box, "sub", false, HOUR, 65535);
        var got = box.all(MqttDeliver.class);
        assertEquals(1, got.size(), got.toString());
        long left = got.get(0).properties().messageExpiry();
        assertTrue(left > 0 && left <= 598, "remaining seconds: " + left);
    }

    @Test
    void aResumedSessionKeepsItsSubscriptionsAndGoesOnFromTheWorkersPacketId() {
        var box = new TestMailbox();
        var member = worker(box);
        router.mqtt()
                .resume(
                        member,
                        new MqttResume(
                                "dev",
                                5,
                                false,
                                HOUR,
                                65535,
                                0,
                                null,
                                List.of(new MqttFilter("cmd/#", 1, false, false, 0, 0)),
                                500));
        assertEquals("dev", router.mqtt().clientIdOf(member));
        assertEquals(1, router.mqtt().subscriptionsOf(member));
        assertEquals(List.of(), box.all(MqttConnAck.class), "no CONNACK: the client is connected already");
        var pub = client(new TestMailbox(), "pub", true, 0, 65535);
        publish(pub, "cmd/reboot", 1, MqttProperties.NONE);
        assertEquals(500, box.all(MqttDeliver.class).get(0).packetId());
    }

    @Test
    void theServerCapsMessagesInFlightBelowTheClientsReceiveMaximum() {
        router.mqtt()
                .settings(new MqttDesk.Settings(null, "forkcast/rooms/", false, 3, java.time.Duration.ofSeconds(10)));
        var box = new TestMailbox();
        var sub = client(box, "sub", true, 0, 65535);
        router.mqtt().subscribe(sub, 1, List.of(new MqttFilter("t", 2, false, false, 0, 0)));
        var pub = client(new TestMailbox(), "pub", true, 0, 65535);
        for (int i = 0; i < 5; i++) {
            publish(pub, "t", 1, MqttProperties.NONE);
        }
        assertEquals(3, box.all(MqttDeliver.class).size());
        assertEquals(2, router.mqtt().stats().queued());
        router.mqtt().delivered(sub, new MqttDelivered(2, MqttDelivered.DROPPED));
        assertEquals(4, box.all(MqttDeliver.class).size(), "a dropped one frees its place too");
    }

    @Test
    void anonymousClientsFollowTheSetting() {
        router.mqtt()
                .settings(new MqttDesk.Settings(false, "forkcast/rooms/", false, 64, java.time.Duration.ofSeconds(10)));
        var box = new TestMailbox();
        router.mqtt().connect(worker(box), new MqttConnect(1, 4, "a", true, 0, 65535, 0, null, null, null));
        assertEquals(0x87, box.all(MqttConnAck.class).get(0).reasonCode());
        router.mqtt().settings(MqttDesk.Settings.DEFAULT); // no accounts: anonymous allowed
        client(new TestMailbox(), "b", true, 0, 65535);
    }

    @Test
    void roomLinesReachSubscribersAsJsonWhenTheFormatSaysSo() {
        router.mqtt().settings(new MqttDesk.Settings(null, "chat/", true, 64, java.time.Duration.ofSeconds(10)));
        var box = new TestMailbox();
        var sub = client(box, "sub", true, 0, 65535);
        router.mqtt().subscribe(sub, 1, List.of(new MqttFilter("chat/+", 0, false, false, 0, 0)));
        var person = router.join(new ClientRef("node-a", 90, "127.0.0.1:9090", 990, 5, "telnet"), new TestMailbox());
        router.nick(person, 1, "dan");
        router.said(person, 2, "a \"quoted\" word");
        var got = box.all(MqttDeliver.class);
        assertEquals(1, got.size());
        assertEquals("chat/lobby", got.get(0).topic());
        String json = new String(got.get(0).payload(), StandardCharsets.UTF_8);
        assertTrue(
                json.startsWith("{\"room\":\"lobby\",\"from\":\"dan\",\"text\":\"a \\\"quoted\\\" word\",\"time\":"),
                json);
    }

    @Test
    void aMessageTooLargeForAHubFrameIsDroppedAndFreesItsPlaceInTheWindow() {
        var box = new TestMailbox();
        var sub = client(box, "sub", true, 0, 1);
        router.mqtt().subscribe(sub, 1, List.of(new MqttFilter("t", 1, false, false, 0, 0)));
        var pub = client(new TestMailbox(), "pub", true, 0, 65535);
        router.mqtt().publish(pub, new MqttPublish(nextSeq++, "t", new byte[70_000], 1, false, 3, MqttProperties.NONE));
        assertEquals(List.of(), box.all(MqttDeliver.class));
        publish(pub, "t", 1, MqttProperties.NONE);
        assertEquals(1, box.all(MqttDeliver.class).size(), "the window of one is free again");
        assertEquals(1, router.mqtt().stats().dropped());
    }
}
