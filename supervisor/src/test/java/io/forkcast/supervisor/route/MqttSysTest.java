package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code $SYS/forkcast/...} topics, driven through the Router with mailboxes in memory: the STATS figures go
 * out retained every interval while there are MQTT sessions, only when changed; {@code #} never matches them; a
 * client may not publish under {@code $}; interval 0 is off and clears them.
 */
class MqttSysTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);
    private static final long SECOND = 1_000_000_000L;

    private final Map<String, Long> figures = new LinkedHashMap<>();
    private long nextId = 1;

    private Router router(Duration interval) {
        var router = new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(System.nanoTime() - 1, 1 << 20),
                new RoomBook("lobby", List.of(), 10),
                LIMITS,
                List.of(),
                Accounts.NONE,
                Archive.NONE,
                Router.History.OFF,
                BrokerQueue.NONE,
                BrokerDesk.Settings.DEFAULT,
                line -> {});
        router.mqtt().settings(new MqttDesk.Settings(null, "forkcast/rooms/", false, 64, interval));
        router.mqtt().sysFigures(() -> figures);
        return router;
    }

    /** A connected MQTT 5.0 client subscribed to {@code filter} at QoS 0 (none: null). */
    private Member client(Router router, TestMailbox box, String filter) {
        long id = nextId++;
        var member = router.join(new ClientRef("node-a", id, "127.0.0.1:" + (7000 + id), 300 + id, 7, "mqtt"), box);
        router.mqtt().connect(member, new MqttConnect(1, 5, "c" + id, true, 0, 65535, 0, null, null, null));
        assertEquals(0, box.all(MqttConnAck.class).get(0).reasonCode(), box.received.toString());
        if (filter != null) {
            router.mqtt().subscribe(member, 9, List.of(new MqttFilter(filter, 0, false, false, 0, 0)));
        }
        return member;
    }

    private static List<String> got(TestMailbox box) {
        return box.all(MqttDeliver.class).stream()
                .map(d -> d.topic() + " " + new String(d.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void theFiguresGoOutRetainedWhileThereAreSessionsAndAgainOnlyWhenTheyChange() {
        figures.put("clients", 3L);
        figures.put("mqtt_connects", 1L);
        figures.put("broker_sent", 0L);
        var router = router(Duration.ofSeconds(10));
        long t = System.nanoTime();
        router.mqtt().tick(t);
        assertEquals(0, router.mqtt().stats().retained(), "no MQTT session: nothing published");

        var sysBox = new TestMailbox();
        client(router, sysBox, "$SYS/forkcast/#");
        router.mqtt().tick(t + 1);
        assertEquals(
                List.of("$SYS/forkcast/clients 3", "$SYS/forkcast/mqtt/connects 1", "$SYS/forkcast/broker/sent 0"),
                got(sysBox));
        sysBox.clear();
        figures.put("clients", 4L);
        router.mqtt().tick(t + 9 * SECOND);
        assertEquals(List.of(), got(sysBox), "not due before the interval");
        router.mqtt().tick(t + 11 * SECOND);
        assertEquals(List.of("$SYS/forkcast/clients 4"), got(sysBox), "only what changed");

        // A later subscriber has them at once, retained; "#" alone matches none of them.
        var laterBox = new TestMailbox();
        client(router, laterBox, "$SYS/forkcast/clients");
        assertEquals(List.of("$SYS/forkcast/clients 4"), got(laterBox));
        assertTrue(laterBox.all(MqttDeliver.class).get(0).retain());
        var hashBox = new TestMailbox();
        client(router, hashBox, "#");
        figures.put("clients", 5L);
        router.mqtt().tick(t + 22 * SECOND);
        assertEquals(List.of(), got(hashBox), "# does not match $ topics");
        assertEquals(List.of("$SYS/forkcast/clients 4", "$SYS/forkcast/clients 5"), got(laterBox));
    }

    @Test
    void aClientsPublishUnderDollarIsRefusedAndReachesNobody() {
        figures.put("clients", 1L);
        var router = router(Duration.ofSeconds(10));
        var sysBox = new TestMailbox();
        client(router, sysBox, "$SYS/#");
        var box = new TestMailbox();
        var publisher = client(router, box, null);
        router.mqtt()
                .publish(
                        publisher,
                        new MqttPublish(
                                100,
                                "$SYS/forkcast/clients",
                                "666".getBytes(StandardCharsets.UTF_8),
                                1,
                                true,
                                7,
                                MqttProperties.NONE));
        assertEquals(
                MqttDesk.NOT_AUTHORIZED, box.all(MqttPublished.class).get(0).reasonCode());
        assertEquals(List.of(), got(sysBox));
        assertEquals(0, router.mqtt().stats().retained(), "not retained either");
        assertEquals(0, router.mqtt().stats().published(), "not counted as routed");
    }

    @Test
    void intervalZeroIsOffAndTurningItOffClearsTheRetainedFigures() {
        figures.put("clients", 2L);
        var router = router(Duration.ZERO);
        var sysBox = new TestMailbox();
        client(router, sysBox, "$SYS/forkcast/#");
        long t = System.nanoTime();
        router.mqtt().tick(t);
        assertEquals(List.of(), got(sysBox));

        router.mqtt().settings(new MqttDesk.Settings(null, "forkcast/rooms/", false, 64, Duration.ofSeconds(1)));
        router.mqtt().tick(t + 1);
        assertEquals(List.of("$SYS/forkcast/clients 2"), got(sysBox));
        assertEquals(1, router.mqtt().stats().retained());
        router.mqtt().settings(new MqttDesk.Settings(null, "forkcast/rooms/", false, 64, Duration.ZERO));
        assertEquals(0, router.mqtt().stats().retained());
        var laterBox = new TestMailbox();
        client(router, laterBox, "$SYS/forkcast/#");
        router.mqtt().tick(t + 5 * SECOND);
        assertEquals(List.of(), got(laterBox));
    }

    @Test
    void aFiguresNameGivesItsTopic() {
        assertEquals("$SYS/forkcast/clients", MqttSys.topic("clients"));
        assertEquals("$SYS/forkcast/mqtt/connects", MqttSys.topic("mqtt_connects"));
        assertEquals("$SYS/forkcast/broker/pending", MqttSys.topic("broker_pending"));
        assertEquals("$SYS/forkcast/spares_idle", MqttSys.topic("spares_idle"));
        assertTrue(MqttSys.reserved("$SYS/anything"));
        assertTrue(MqttSys.reserved("$share-like"));
        assertTrue(!MqttSys.reserved("sensors/$x"));
    }
}
