package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.SupervisorMessage.MqttSubAck;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.protocol.message.WorkerMessage.MqttResume;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * MQTT sessions that outlive their connection written through to a store and read back by a new desk over the
 * same store (a supervisor restart): subscriptions, queued and in-flight messages, retained messages; a QoS 1
 * PUBLISH that must wait is answered only once it is stored; a QoS 2 PUBLISH is routed only once its packet id is
 * stored, so that the same PUBLISH sent again to the next supervisor is answered and not routed twice.
 */
class MqttRestartTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    private final TestMqttStore store = new TestMqttStore();
    private long nextId = 1;
    private long nextSeq = 100;

    /** A router (a supervisor) over the shared store. */
    private Router router() {
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
        router.mqtt().store(store);
        return router;
    }

    private Member worker(Router router, TestMailbox box) {
        long id = nextId++;
        return router.join(new ClientRef("node-a", id, "127.0.0.1:" + (7000 + id), 300 + id, 7, "mqtt"), box);
    }

    private Member client(Router router, TestMailbox box, String clientId, boolean clean, long expiry) {
        var member = worker(router, box);
        router.mqtt().connect(member, new MqttConnect(1, 5, clientId, clean, expiry, 65535, 0, null, null, null));
        assertEquals(1, box.all(MqttConnAck.class).size(), box.received.toString());
        return member;
    }

    private void publish(Router router, Member member, String topic, String text, int qos, boolean retain) {
        publish(router, member, topic, text, qos, retain, qos == 0 ? 0 : 7);
    }

    private void publish(
            Router router, Member member, String topic, String text, int qos, boolean retain, int packetId) {
        router.mqtt()
                .publish(
                        member,
                        new MqttPublish(
                                nextSeq++,
                                topic,
                                text.getBytes(StandardCharsets.UTF_8),
                                qos,
                                retain,
                                packetId,
                                MqttProperties.NONE));
    }

    private static List<String> texts(TestMailbox box) {
        return box.all(MqttDeliver.class).stream()
                .map(d -> new String(d.payload(), StandardCharsets.UTF_8))
                .toList();
    }

    private static MqttFilter filter(String f, int qos) {
        return new MqttFilter(f, qos, false, false, 0, 0);
    }

    @Test
    void aKeptSessionWithQueuedMessagesIsRestoredByANewDeskOverTheSameStore() {
        var before = router();
        var pubBox = new TestMailbox();
        var pub = client(before, pubBox, "pub", true, 0);
        var keep = client(before, new TestMailbox(), "keep", false, 3600);
        before.mqtt().subscribe(keep, 1, List.of(filter("news", 1), filter("alerts/#", 2)));
        before.left(keep);
        assertEquals(
                List.of("news", "alerts/#"),
                store.sessions.get("keep").subscriptions().stream()
                        .map(MqttFilter::filter)
                        .toList());

        store.holding = true;
        publish(before, pub, "news", "first", 1, false);
        assertEquals(List.of(), pubBox.all(MqttPublished.class), "answered before the message was stored");
        store.commit();
        assertEquals(1, pubBox.all(MqttPublished.class).size());
        store.holding = false;
        publish(before, pub, "alerts/fire", "second", 2, false);
        publish(before, pub, "news", "not kept", 0, false);
        publish(before, pub, "weather", "sunny", 1, true);
        assertEquals(2, store.messages.size());

        var after = router(); // the supervisor restarted: nothing in memory but what the store gives back
        assertEquals(1, after.mqtt().stats().sessions());
        assertEquals(1, after.mqtt().stats().retained());
        var box = new TestMailbox();
        var back = client(after, box, "keep", false, 3600);
        assertTrue(box.all(MqttConnAck.class).getFirst().sessionPresent());
        assertEquals(List.of("first", "second"), texts(box));
        for (var d : box.all(MqttDeliver.class)) {
            after.mqtt().delivered(back, new MqttDelivered(d.packetId(), d.qos() == 2 ? 3 : 1));
        }
        assertEquals(List.of(), List.copyOf(store.messages.keySet()), "acknowledged messages are forgotten");

        // Its subscriptions came back too, and so did the retained message.
        var pub2 = client(after, new TestMailbox(), "pub", true, 0);
        publish(after, pub2, "news", "third", 1, false);
        assertEquals(List.of("first", "second", "third"), texts(box));
        var lateBox = new TestMailbox();
        var lateMember = client(after, lateBox, "late2", true, 0);
        after.mqtt().subscribe(lateMember, 2, List.of(filter("weather", 1)));
        assertEquals(List.of("sunny"), texts(lateBox));
        assertFalse(store.sessions.containsKey("late2"), "a session that ends with its connection is not kept");
    }

    @Test
    void aMessageInFlightAtTheRestartIsSentAgainUnderItsPacketIdAsADuplicate() {
        var before = router();
        var pub = client(before, new TestMailbox(), "pub", true, 0);
        var firstBox = new TestMailbox();
        var sub = client(before, firstBox, "sub", false, 600);
        before.mqtt().subscribe(sub, 1, List.of(filter("t", 1)));
        publish(before, pub, "t", "once", 1, false);
        var sent = firstBox.all(MqttDeliver.class).getFirst();
        assertEquals(sent.packetId(), store.messages.values().iterator().next().packetId());

        var after = router();
        var box = new TestMailbox();
        var back = client(after, box, "sub", false, 600);
        var again = box.all(MqttDeliver.class).getFirst();
        assertTrue(again.dup());
        assertEquals(sent.packetId(), again.packetId());
        after.mqtt().delivered(back, new MqttDelivered(again.packetId(), MqttDelivered.PUBACK));
        assertTrue(store.messages.isEmpty());
    }

    @Test
    void aCleanStartEndsTheKeptSessionAndAConnectDuringTheLoadWaitsForIt() {
        var before = router();
        var keep = client(before, new TestMailbox(), "keep", false, 3600);
        before.mqtt().subscribe(keep, 1, List.of(filter("news", 1)));
        before.left(keep);

        store.slowLoad = true;
        var after = router();
        var box = new TestMailbox();
        var member = worker(after, box);
        after.mqtt().connect(member, new MqttConnect(1, 5, "keep", false, 3600, 65535, 0, null, null, null));
        assertEquals(List.of(), box.all(MqttConnAck.class), "answered before the kept sessions were read");
        store.finishLoad();
        assertTrue(box.all(MqttConnAck.class).getFirst().sessionPresent());

        after.left(member);
        store.slowLoad = false;
        var third = router();
        var cleanBox = new TestMailbox();
        client(third, cleanBox, "keep", true, 0);
        assertFalse(cleanBox.all(MqttConnAck.class).getFirst().sessionPresent());
        assertFalse(store.sessions.containsKey("keep"), store.sessions.toString());
    }

    @Test
    void aSessionResumedBeforeTheLoadGetsTheKeptMessagesAfterItsOwn() {
        var before = router();
        var pub = client(before, new TestMailbox(), "pub", true, 0);
        var keep = client(before, new TestMailbox(), "keep", false, 3600);
        before.mqtt().subscribe(keep, 1, List.of(filter("news", 1)));
        before.left(keep);
        publish(before, pub, "news", "kept", 1, false);

        store.slowLoad = true;
        var after = router();
        var box = new TestMailbox();
        var member = worker(after, box);
        // Its client stayed connected through the restart: the worker says what it holds before the load is done.
        after.mqtt()
                .resume(member, new MqttResume("keep", 5, false, 3600, 65535, 0, null, List.of(filter("news", 1)), 9));
        assertEquals(List.of(), texts(box));
        store.finishLoad();

        assertEquals(List.of("kept"), texts(box));
        assertEquals(1, after.mqtt().stats().sessions());
        var d = box.all(MqttDeliver.class).getFirst();
        after.mqtt().delivered(member, new MqttDelivered(d.packetId(), MqttDelivered.PUBACK));
        assertTrue(store.messages.isEmpty(), store.messages.toString());
        assertEquals(
                List.of("news"),
                store.sessions.get("keep").subscriptions().stream()
                        .map(MqttFilter::filter)
                        .toList());
    }

    @Test
    void aPublishFromAResumedWorkerDuringTheLoadReachesTheKeptSessionItIsFor() {
        var before = router();
        var keep = client(before, new TestMailbox(), "keep", false, 3600);
        before.mqtt().subscribe(keep, 1, List.of(filter("news", 1)));
        before.left(keep);

        store.slowLoad = true;
        var after = router();
        var pubBox = new TestMailbox();
        var pub = worker(after, pubBox);
        // The publisher stayed connected through the restart; its backlog sends its PUBLISH again at once.
        after.mqtt().resume(pub, new MqttResume("pub", 5, true, 0, 65535, 0, null, List.of(), 1));
        publish(after, pub, "news", "sent while loading", 1, false);
        assertEquals(List.of(), pubBox.all(MqttPublished.class), "answered before the kept sessions were read");
        store.finishLoad();
        assertEquals(1, pubBox.all(MqttPublished.class).size());
        assertEquals(0, pubBox.all(MqttPublished.class).getFirst().reasonCode());

        var box = new TestMailbox();
        client(after, box, "keep", false, 3600);
        assertEquals(List.of("sent while loading"), texts(box));
    }

    /** A persistent subscriber to {@code t} at QoS 2, connected to {@code router}. */
    private Member subscriber(Router router, TestMailbox box) {
        var sub = client(router, box, "sub", false, 600);
        router.mqtt().subscribe(sub, 1, List.of(filter("t", 2)));
        return sub;
    }

    /** The subscriber takes every QoS 2 message it got to the end (PUBREC, then PUBCOMP). */
    private static void complete(Router router, Member sub, TestMailbox box) {
        for (var d : box.all(MqttDeliver.class)) {
            router.mqtt().delivered(sub, new MqttDelivered(d.packetId(), MqttDelivered.PUBREC));
            router.mqtt().delivered(sub, new MqttDelivered(d.packetId(), MqttDelivered.PUBCOMP));
        }
    }

    private Member resumed(Router router, TestMailbox box, String clientId, long expiry) {
        var member = worker(router, box);
        router.mqtt().resume(member, new MqttResume(clientId, 5, expiry == 0, expiry, 65535, 0, null, List.of(), 1));
        return member;
    }

    @Test
    void aQos2PublishIsRoutedOnceItsIdIsStoredAndItsResendToTheNextSupervisorIsAnsweredWithoutRouting() {
        var before = router();
        var subBox = new TestMailbox();
        var sub = subscriber(before, subBox);
        var pubBox = new TestMailbox();
        var pub = client(before, pubBox, "pub", true, 0); // a clean session: its worker outlives the supervisor too

        store.holding = true;
        publish(before, pub, "t", "once", 2, false, 9);
        assertEquals(List.of(), texts(subBox), "routed before its packet id was stored");
        assertEquals(List.of(), pubBox.all(MqttPublished.class), "answered before its packet id was stored");
        assertEquals(Map.of("pub", Set.of(9)), store.received);
        store.commit();
        store.holding = false;
        assertEquals(List.of("once"), texts(subBox));
        assertEquals(0, pubBox.all(MqttPublished.class).getFirst().reasonCode());
        complete(before, sub, subBox);

        // Killed before the publisher's worker was acked: it resumes with the next supervisor and sends it again.
        var after = router();
        var subBoxAfter = new TestMailbox();
        subscriber(after, subBoxAfter);
        var pubBoxAfter = new TestMailbox();
        var pubAfter = resumed(after, pubBoxAfter, "pub", 0);
        publish(after, pubAfter, "t", "once", 2, false, 9);
        assertEquals(List.of(), texts(subBoxAfter), "routed twice");
        var answer = pubBoxAfter.all(MqttPublished.class).getFirst();
        assertEquals(9, answer.packetId());
        assertEquals(0, answer.reasonCode(), "answered PUBREC: the worker waits for the client's PUBREL");
        assertEquals(2, after.mqtt().stats().sessions(), "the resumed session holds the id, not one of its own");

        after.mqtt().pubRel(pubAfter, 9);
        assertEquals(Map.of(), store.received, "released: forgotten");
        publish(after, pubAfter, "t", "next", 2, false, 9); // the id used again, for a new message
        assertEquals(List.of("next"), texts(subBoxAfter));
    }

    @Test
    void whatAClientSaysAfterAQos2PublishWaitsBehindItsStoreWriteAndKeepsItsOrder() {
        var router = router();
        var subBox = new TestMailbox();
        var sub = subscriber(router, subBox);
        router.mqtt().subscribe(sub, 2, List.of(filter("u", 1)));
        var pubBox = new TestMailbox();
        var pub = client(router, pubBox, "pub", true, 0);

        store.holding = true;
        publish(router, pub, "t", "a", 2, false, 1);
        publish(router, pub, "u", "b", 0, false, 0);
        publish(router, pub, "u", "c", 1, false, 2);
        publish(router, pub, "t", "d", 2, false, 3);
        router.mqtt().subscribe(pub, 4, List.of(filter("t", 2)));
        publish(router, pub, "u", "e", 1, false, 5);
        assertEquals(List.of(), texts(subBox), "a later message overtook a QoS 2 one");
        assertEquals(Map.of("pub", Set.of(1)), store.received);
        assertEquals(List.of(), pubBox.all(MqttPublished.class));
        store.commit();
        assertEquals(List.of("a", "b", "c"), texts(subBox));
        assertEquals(Map.of("pub", Set.of(1, 3)), store.received, "d: routed in its turn, its id written");
        assertEquals(List.of(), pubBox.all(MqttSubAck.class), "the SUBSCRIBE overtook the PUBLISH before it");
        store.commit();
        store.holding = false;

        assertEquals(List.of("a", "b", "c", "d", "e"), texts(subBox));
        assertEquals(
                List.of(1, 0, 2, 3, 5),
                pubBox.all(MqttPublished.class).stream()
                        .map(MqttPublished::packetId)
                        .toList());
        assertEquals(1, pubBox.all(MqttSubAck.class).size());
        assertEquals(List.of(), texts(pubBox), "subscribed after d: d did not come back to it");
    }

    @Test
    void aKillAfterTheIdIsStoredButBeforeItIsSentLosesNothingForAKeptSubscriber() {
        var before = router();
        var subBox = new TestMailbox();
        subscriber(before, subBox);
        var pubBox = new TestMailbox();
        var pub = client(before, pubBox, "pub", true, 0);
        store.holding = true;
        publish(before, pub, "t", "in flight", 2, false, 3);
        // Its id and the subscriber's copy are stored; the supervisor dies before it sends or answers anything.
        assertEquals(List.of(), texts(subBox));
        assertEquals(List.of(), pubBox.all(MqttPublished.class));
        store.holding = false;
        store.uncommitted.clear();

        var after = router();
        var subBoxAfter = new TestMailbox();
        var subAfter = worker(after, subBoxAfter); // both workers outlived the supervisor and resume
        after.mqtt().resume(subAfter, new MqttResume("sub", 5, false, 600, 65535, 0, null, List.of(filter("t", 2)), 1));
        var pubBoxAfter = new TestMailbox();
        var pubAfter = resumed(after, pubBoxAfter, "pub", 0);
        publish(after, pubAfter, "t", "in flight", 2, false, 3); // from its backlog: not answered
        assertEquals(List.of("in flight"), texts(subBoxAfter), "once, from the subscriber's stored messages");
        assertTrue(subBoxAfter.all(MqttDeliver.class).getFirst().dup());
        assertEquals(0, pubBoxAfter.all(MqttPublished.class).getFirst().reasonCode());
    }

    @Test
    void aPersistentSessionsQos2IdsComeBackWithItAndACleanStartForgetsThem() {
        var before = router();
        var sub = subscriber(before, new TestMailbox());
        before.left(sub);
        var dev = client(before, new TestMailbox(), "dev", false, 3600);
        publish(before, dev, "t", "kept", 2, false, 4);
        before.left(dev); // gone before its PUBREC reached the client

        var after = router();
        var devBox = new TestMailbox();
        var back = client(after, devBox, "dev", false, 3600);
        publish(after, back, "t", "kept", 2, false, 4); // the client sends it again, DUP, on its new connection
        assertEquals(0, devBox.all(MqttPublished.class).getFirst().reasonCode());
        var subBox = new TestMailbox();
        client(after, subBox, "sub", false, 600);
        assertEquals(List.of("kept"), texts(subBox), "once: queued while it was offline, not routed again");
        after.left(back);

        assertEquals(Map.of("dev", Set.of(4)), store.received);
        var third = router();
        client(third, new TestMailbox(), "dev", true, 3600);
        assertEquals(Map.of(), store.received, "a clean start: the session and its ids are gone");
    }

    @Test
    void aCleanSessionsIdsGoWithItAndThoseNoWorkerClaimsAfterARestartAreDeleted() {
        var router = router();
        var pub = client(router, new TestMailbox(), "pub", true, 0);
        publish(router, pub, "t", "x", 2, false, 1);
        assertEquals(Map.of("pub", Set.of(1)), store.received);
        router.left(pub);
        assertEquals(Map.of(), store.received, "the session ended with its connection");

        var other = client(router, new TestMailbox(), "other", true, 0);
        publish(router, other, "t", "y", 2, false, 2);
        var third = client(router, new TestMailbox(), "third", true, 0);
        publish(router, third, "t", "z", 2, false, 3);

        var after = router(); // neither worker resumes
        assertEquals(0, after.mqtt().stats().sessions());
        var subBox = new TestMailbox();
        subscriber(after, subBox);
        // A new connection of "other" (its worker did not survive): its client knows no session, nor do we.
        var otherAgain = client(after, new TestMailbox(), "other", false, 0);
        assertEquals(Map.of("third", Set.of(3)), store.received);
        publish(after, otherAgain, "t", "y2", 2, false, 2);
        assertEquals(List.of("y2"), texts(subBox));
        after.mqtt().pubRel(otherAgain, 2);

        after.mqtt().tick(System.nanoTime()); // the adoption window is over (the test's Delivery ended it at start)
        assertEquals(Map.of(), store.received, "no worker of the earlier supervisor can claim them any more");
    }

    @Test
    void withoutAStoreAQos2PublishIsRoutedAtOnceAndARepeatIsAnsweredWithoutRouting() {
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
        var subBox = new TestMailbox();
        subscriber(router, subBox);
        var pubBox = new TestMailbox();
        var pub = client(router, pubBox, "pub", true, 0);
        publish(router, pub, "t", "m", 2, false, 5);
        publish(router, pub, "t", "m", 2, false, 5);
        assertEquals(List.of("m"), texts(subBox));
        assertEquals(2, pubBox.all(MqttPublished.class).size());
    }
}
