package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.MqttWill;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.SupervisorMessage.MqttKick;
import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.SupervisorMessage.MqttRelease;
import io.forkcast.protocol.message.SupervisorMessage.MqttSubAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttUnsubAck;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * MQTT clients in the routing domain, driven through the Router with mailboxes in memory: CONNECT and the accounts,
 * takeover, QoS 1 and 2 in and out, the window, offline queues, wills, retained messages, shared groups and the
 * rooms bridge.
 */
class MqttDeskTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);
    private static final long NEVER = 4294967295L;

    /** Users "ann" and "bob", whose password is "pw". */
    private static final Accounts ACCOUNTS = new Accounts() {
        @Override
        public Mode mode() {
            return Mode.OPTIONAL;
        }

        @Override
        public String canonical(String name) {
            return name.equals("ann") || name.equals("bob") ? name : null;
        }

        @Override
        public void verify(String user, String password, String peer, Consumer<Verdict> then) {
            then.accept("pw".equals(password) ? Verdict.OK : Verdict.REFUSED);
        }
    };

    private long nextId = 1;
    private long nextSeq = 100;

    private Router router(Accounts accounts) {
        return new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(System.nanoTime() - 1, 1 << 20),
                new RoomBook("lobby", List.of(), 10),
                LIMITS,
                List.of(),
                accounts,
                Archive.NONE,
                Router.History.OFF,
                BrokerQueue.NONE,
                BrokerDesk.Settings.DEFAULT,
                line -> {});
    }

    private Member mqttWorker(Router router, TestMailbox box) {
        long id = nextId++;
        return router.join(new ClientRef("node-a", id, "127.0.0.1:" + (7000 + id), 300 + id, 7, "mqtt"), box);
    }

    private static MqttConnect connect(String clientId, boolean clean, long expiry, String user, String pw) {
        return new MqttConnect(1, 5, clientId, clean, expiry, 65535, 0, user, pw, null);
    }

    /** A connected MQTT client: its member, after a successful CONNACK. */
    private Member client(Router router, TestMailbox box, MqttConnect c) {
        var member = mqttWorker(router, box);
        router.mqtt().connect(member, c);
        var ack = box.all(MqttConnAck.class);
        assertEquals(1, ack.size(), box.received.toString());
        assertEquals(0, ack.get(0).reasonCode(), ack.toString());
        return member;
    }

    private void subscribe(Router router, Member member, String filter, int qos) {
        router.mqtt().subscribe(member, 9, List.of(new MqttFilter(filter, qos, false, false, 0, 0)));
    }

    private void publish(Router router, Member member, String topic, String text, int qos, int packetId) {
        router.mqtt()
                .publish(
                        member,
                        new MqttPublish(
                                nextSeq++,
                                topic,
                                text.getBytes(StandardCharsets.UTF_8),
                                qos,
                                false,
                                packetId,
                                MqttProperties.NONE));
    }

    private static List<String> texts(TestMailbox box) {
        return box.all(MqttDeliver.class).stream()
                .map(d -> new String(d.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void anEmptyClientIdIsAssignedOneAndMqttClientsAreInNoRoom() {
        var router = router(Accounts.NONE);
        var box = new TestMailbox();
        var member = client(router, box, connect("", true, 0, null, null));
        var ack = box.all(MqttConnAck.class).get(0);
        assertEquals("forkcast-node-a-" + member.clientId(), ack.clientId());
        assertFalse(ack.sessionPresent());
        assertEquals(null, member.room());
        assertEquals(ack.clientId(), router.mqtt().clientIdOf(member));
    }

    @Test
    void accountsDecideWhoConnects() {
        var router = router(ACCOUNTS);
        var box = new TestMailbox();
        router.mqtt().connect(mqttWorker(router, box), connect("a", true, 0, null, null));
        assertEquals(0x87, box.all(MqttConnAck.class).get(0).reasonCode(), "anonymous refused while accounts exist");
        box.clear();
        router.mqtt().connect(mqttWorker(router, box), connect("b", true, 0, "ann", "wrong"));
        assertEquals(0x86, box.all(MqttConnAck.class).get(0).reasonCode());
        box.clear();
        router.mqtt().connect(mqttWorker(router, box), connect("c", true, 0, "nobody", "pw"));
        assertEquals(0x86, box.all(MqttConnAck.class).get(0).reasonCode());
        box.clear();
        var ann = client(router, box, connect("d", true, 0, "ann", "pw"));
        assertEquals("ann", box.all(MqttConnAck.class).get(0).user());
        assertEquals("d", router.mqtt().clientIdOf(ann));
    }

    @Test
    void qos1IsDeliveredWithPacketIdsAndAWindowAndAcknowledged() {
        var router = router(Accounts.NONE);
        var subBox = new TestMailbox();
        var sub = mqttWorker(router, subBox);
        router.mqtt().connect(sub, new MqttConnect(1, 5, "sub", true, 0, 2, 0, null, null, null));
        subscribe(router, sub, "jobs/+", 1);
        assertEquals(List.of(1), subBox.all(MqttSubAck.class).get(0).codes());
        var pubBox = new TestMailbox();
        var pub = client(router, pubBox, connect("pub", true, 0, null, null));
        for (int i = 0; i < 4; i++) {
            publish(router, pub, "jobs/" + i, "job " + i, 1, 10 + i);
        }
        assertEquals(4, pubBox.all(MqttPublished.class).size());
        assertEquals(0, pubBox.all(MqttPublished.class).get(0).reasonCode());
        var sent = subBox.all(MqttDeliver.class);
        assertEquals(2, sent.size(), "the client's receive maximum of 2");
        assertEquals(List.of(1, 2), sent.stream().map(MqttDeliver::packetId).toList());
        router.mqtt().delivered(sub, new MqttDelivered(1, MqttDelivered.PUBACK));
        sent = subBox.all(MqttDeliver.class);
        assertEquals(3, sent.size());
        assertEquals(3, sent.get(2).packetId());
        assertEquals("job 2", texts(subBox).get(2));
        assertEquals(1, sent.get(2).qos());
    }

    @Test
    void qos2IsRoutedExactlyOnceUntilReleased() {
        var router = router(Accounts.NONE);
        var subBox = new TestMailbox();
        var sub = client(router, subBox, connect("sub", true, 0, null, null));
        subscribe(router, sub, "t", 2);
        var pubBox = new TestMailbox();
        var pub = client(router, pubBox, connect("pub", true, 0, null, null));
        publish(router, pub, "t", "once", 2, 7);
        publish(router, pub, "t", "once", 2, 7); // DUP before PUBREL
        assertEquals(2, pubBox.all(MqttPublished.class).size(), "both answered");
        assertEquals(List.of("once"), texts(subBox), "routed once");
        router.mqtt().pubRel(pub, 7);
        publish(router, pub, "t", "again", 2, 7); // the id is free again
        assertEquals(List.of("once", "again"), texts(subBox));
        // Out: PUBREC then PUBCOMP frees the id; a PUBREC'd one gets PUBREL again when the session is taken up.
        var first = subBox.all(MqttDeliver.class).get(0);
        assertEquals(2, first.qos());
        router.mqtt().delivered(sub, new MqttDelivered(first.packetId(), MqttDelivered.PUBREC));
        router.mqtt().delivered(sub, new MqttDelivered(first.packetId(), MqttDelivered.PUBCOMP));
        var second = subBox.all(MqttDeliver.class).get(1);
        router.mqtt().delivered(sub, new MqttDelivered(second.packetId(), MqttDelivered.PUBREC));
        var again = new TestMailbox();
        client(router, again, connect("sub", false, 0, null, null));
        assertEquals(List.of(new MqttRelease(second.packetId())), again.all(MqttRelease.class));
        assertEquals(List.of(), again.all(MqttDeliver.class), "the completed one is not sent again");
    }

    @Test
    void aSecondConnectionWithTheSameIdTakesOverKicksTheFirstAndPublishesItsWill() {
        var router = router(Accounts.NONE);
        var watchBox = new TestMailbox();
        var watcher = client(router, watchBox, connect("watcher", true, 0, null, null));
        subscribe(router, watcher, "status/#", 0);
        var oldBox = new TestMailbox();
        var will = new MqttWill("status/dev", "gone".getBytes(StandardCharsets.UTF_8), 0, false, 0, null);
        var old = mqttWorker(router, oldBox);
        router.mqtt().connect(old, new MqttConnect(1, 5, "dev", false, NEVER, 65535, 0, null, null, will));
        subscribe(router, old, "cmd", 1);
        var newBox = new TestMailbox();
        var fresh = client(router, newBox, connect("dev", false, NEVER, null, null));
        assertEquals(List.of(new MqttKick(0x8E, "session taken over")), oldBox.all(MqttKick.class));
        assertEquals(List.of("gone"), texts(watchBox));
        assertTrue(newBox.all(MqttConnAck.class).get(0).sessionPresent());
        assertEquals(1, router.mqtt().subscriptionsOf(fresh), "the subscription came with the session");
        router.left(old); // the kicked worker leaves: nothing more happens
        assertEquals(List.of("gone"), texts(watchBox));
        publish(router, watcher, "cmd", "reboot", 1, 3);
        assertEquals(List.of("reboot"), texts(newBox));
    }

    @Test
    void aWillIsPublishedOnALostConnectionOnlyAndAfterItsDelay() {
        var router = router(Accounts.NONE);
        var watchBox = new TestMailbox();
        var watcher = client(router, watchBox, connect("watcher", true, 0, null, null));
        subscribe(router, watcher, "status/+", 1);
        var will = new MqttWill("status/a", "lost".getBytes(StandardCharsets.UTF_8), 1, false, 0, null);
        var polite = mqttWorker(router, new TestMailbox());
        router.mqtt().connect(polite, new MqttConnect(1, 5, "a", true, 0, 65535, 0, null, null, will));
        router.mqtt().disconnect(polite, 0, -1);
        router.left(polite);
        assertEquals(List.of(), texts(watchBox), "a normal DISCONNECT drops the will");
        var lost = mqttWorker(router, new TestMailbox());
        router.mqtt().connect(lost, new MqttConnect(1, 5, "a", true, 0, 65535, 0, null, null, will));
        router.left(lost);
        assertEquals(List.of("lost"), texts(watchBox));
        var delayed = new MqttWill("status/b", "late".getBytes(StandardCharsets.UTF_8), 0, false, 30, null);
        var slow = mqttWorker(router, new TestMailbox());
        router.mqtt().connect(slow, new MqttConnect(1, 5, "b", true, 3600, 65535, 0, null, null, delayed));
        router.left(slow);
        router.mqtt().tick(System.nanoTime());
        assertEquals(List.of("lost"), texts(watchBox), "not before its delay");
        router.mqtt().tick(System.nanoTime() + 31_000_000_000L);
        assertEquals(List.of("lost", "late"), texts(watchBox));
    }

    @Test
    void retainedMessagesAreSentOnSubscribeAndClearedByAnEmptyOne() {
        var router = router(Accounts.NONE);
        var pub = client(router, new TestMailbox(), connect("pub", true, 0, null, null));
        router.mqtt()
                .publish(
                        pub,
                        new MqttPublish(
                                1, "temp/k", "21".getBytes(StandardCharsets.UTF_8), 1, true, 1, MqttProperties.NONE));
        var box = new TestMailbox();
        var sub = client(router, box, connect("sub", true, 0, null, null));
        subscribe(router, sub, "temp/#", 0);
        var got = box.all(MqttDeliver.class);
        assertEquals(1, got.size());
        assertTrue(got.get(0).retain(), "a retained one is sent with retain 1");
        assertEquals(0, got.get(0).qos(), "min of the published and granted QoS");
        assertArrayEquals("21".getBytes(StandardCharsets.UTF_8), got.get(0).payload());
        assertTrue(box.received.indexOf(box.all(MqttSubAck.class).get(0)) < box.received.indexOf(got.get(0)));
        router.mqtt().publish(pub, new MqttPublish(2, "temp/k", new byte[0], 0, true, 0, MqttProperties.NONE));
        var later = new TestMailbox();
        subscribe(router, client(router, later, connect("late", true, 0, null, null)), "temp/#", 0);
        assertEquals(List.of(), later.all(MqttDeliver.class));
    }

    @Test
    void aPersistentSessionQueuesQos1WhileOfflineAndDropsQos0() {
        var router = router(Accounts.NONE);
        var pub = client(router, new TestMailbox(), connect("pub", true, 0, null, null));
        var first = client(router, new TestMailbox(), connect("keep", false, 3600, null, null));
        subscribe(router, first, "news", 1);
        router.left(first);
        publish(router, pub, "news", "q0", 0, 0);
        publish(router, pub, "news", "q1", 1, 5);
        var box = new TestMailbox();
        client(router, box, connect("keep", false, 3600, null, null));
        assertTrue(box.all(MqttConnAck.class).get(0).sessionPresent());
        assertEquals(List.of("q1"), texts(box));
    }

    @Test
    void overlappingSubscriptionsGiveOneDeliveryAtTheHighestQosAndNoLocalSkipsThePublisher() {
        var router = router(Accounts.NONE);
        var box = new TestMailbox();
        var c = client(router, box, connect("c", true, 0, null, null));
        router.mqtt()
                .subscribe(
                        c,
                        1,
                        List.of(
                                new MqttFilter("a/#", 2, false, false, 0, 5),
                                new MqttFilter("a/+", 1, false, false, 0, 4),
                                new MqttFilter("a/b/#", 0, false, false, 0, 0),
                                new MqttFilter("a/#/x", 0, false, false, 0, 0)));
        assertEquals(List.of(2, 1, 0, 0x8F), box.all(MqttSubAck.class).get(0).codes());
        var pubOwnBox = new TestMailbox();
        var pub = client(router, pubOwnBox, connect("p", true, 0, null, null));
        publish(router, pub, "a/b", "hi", 2, 1);
        var got = box.all(MqttDeliver.class);
        assertEquals(1, got.size());
        assertEquals(2, got.get(0).qos());
        publish(router, pub, "nobody/listens", "x", 0, 0);
        assertEquals(List.of(5, 4), got.get(0).subscriptionIds());
        var published = pubOwnBox.all(MqttPublished.class);
        assertEquals(0, published.get(0).reasonCode());
        assertEquals(0x10, published.get(1).reasonCode(), "5.0: no matching subscribers, answered for QoS 0 too");
        var pubBox = new TestMailbox();
        var other = client(router, pubBox, connect("o", true, 0, null, null));
        router.mqtt().subscribe(other, 2, List.of(new MqttFilter("self", 0, true, false, 0, 0)));
        publish(router, other, "self", "echo", 0, 0);
        assertEquals(List.of(), texts(pubBox), "noLocal");
        router.mqtt().unsubscribe(other, 3, List.of("self", "none"));
        assertEquals(List.of(0, 0x11), pubBox.all(MqttUnsubAck.class).get(0).codes());
    }

    @Test
    void aSharedGroupGivesEachMessageToOneMemberInTurn() {
        var router = router(Accounts.NONE);
        var box1 = new TestMailbox();
        var box2 = new TestMailbox();
        subscribe(router, client(router, box1, connect("w1", true, 0, null, null)), "$share/g/jobs", 0);
        subscribe(router, client(router, box2, connect("w2", true, 0, null, null)), "$share/g/jobs", 0);
        var pub = client(router, new TestMailbox(), connect("p", true, 0, null, null));
        for (int i = 0; i < 4; i++) {
            publish(router, pub, "jobs", "j" + i, 0, 0);
        }
        assertEquals(2, texts(box1).size(), texts(box1) + " " + texts(box2));
        assertEquals(2, texts(box2).size());
    }

    @Test
    void theRoomTopicBridgesMqttAndPeople() {
        var router = router(Accounts.NONE);
        var personBox = new TestMailbox();
        var person = router.join(new ClientRef("node-a", 50, "127.0.0.1:5050", 550, 5, "telnet"), personBox);
        router.nick(person, 1, "carol");
        var box = new TestMailbox();
        var dev = client(router, box, connect("dev", true, 0, null, null));
        subscribe(router, dev, "forkcast/rooms/lobby", 1);
        publish(router, dev, "forkcast/rooms/lobby", "hello people", 1, 2);
        var lines = personBox.all(Deliver.class);
        assertEquals(1, lines.size(), personBox.received.toString());
        assertEquals("hello people", lines.get(0).text());
        assertEquals("dev", lines.get(0).from().name());
        router.mqtt()
                .publish(
                        dev,
                        new MqttPublish(
                                nextSeq++,
                                "forkcast/rooms/lobby",
                                new byte[] {(byte) 0xff, 0},
                                0,
                                false,
                                0,
                                MqttProperties.NONE));
        assertTrue(personBox.all(Notice.class).contains(new Notice("dev sent a binary message (2 bytes)")));
        box.clear();
        router.said(person, 2, "hi machines");
        router.acted(person, 3, "waves");
        assertEquals(List.of("carol: hi machines", "* carol waves"), texts(box));
        assertEquals(0, box.all(MqttDeliver.class).get(0).qos(), "QoS 0 to subscribers");
        assertEquals(List.of(), box.all(MqttRelease.class));
    }

    @Test
    void aWillToARoomTopicIsANoticeInTheRoom() {
        var router = router(Accounts.NONE);
        var personBox = new TestMailbox();
        router.join(new ClientRef("node-a", 51, "127.0.0.1:5051", 551, 5, "telnet"), personBox);
        var will = new MqttWill(
                "forkcast/rooms/lobby", "sensor-9 offline".getBytes(StandardCharsets.UTF_8), 0, false, 0, null);
        var lost = mqttWorker(router, new TestMailbox());
        router.mqtt().connect(lost, new MqttConnect(1, 5, "sensor-9", true, 0, 65535, 0, null, null, will));
        router.left(lost);
        assertTrue(
                personBox.all(Notice.class).contains(new Notice("[sensor-9] (last will): sensor-9 offline")),
                personBox.received.toString());
    }

    @Test
    void aConnectFromAWorkerOfAnotherKindIsIgnored() {
        var router = router(Accounts.NONE);
        var box = new TestMailbox();
        var telnet = router.join(new ClientRef("node-a", 60, "127.0.0.1:6060", 660, 7, "telnet"), box);
        router.mqtt().connect(telnet, connect("x", true, 0, null, null));
        assertEquals(List.of(), box.all(MqttConnAck.class));
        assertEquals(null, router.mqtt().clientIdOf(telnet));
    }

    @Test
    void aClientWhoseAccountIsGoneAfterAReloadIsDisconnected() {
        var router = router(ACCOUNTS);
        var annBox = new TestMailbox();
        client(router, annBox, connect("d", true, 0, "ann", "pw"));
        var bobBox = new TestMailbox();
        client(router, bobBox, connect("e", true, 0, "bob", "pw"));
        router.mqtt().accounts(new Accounts() {
            @Override
            public Mode mode() {
                return Mode.OPTIONAL;
            }

            @Override
            public String canonical(String name) {
                return name.equals("bob") ? name : null;
            }

            @Override
            public void verify(String user, String password, String peer, Consumer<Verdict> then) {
                then.accept(Verdict.REFUSED);
            }
        });
        assertEquals(List.of(new MqttKick(0x98, "the account ann is gone")), annBox.all(MqttKick.class));
        assertEquals(List.of(), bobBox.all(MqttKick.class));
    }
}
