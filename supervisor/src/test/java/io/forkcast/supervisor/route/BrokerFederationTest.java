package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerBatch;
import io.forkcast.protocol.message.SupervisorMessage.BrokerSent;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The broker across the nodes of a federation, with the routers of three nodes joined by an in-memory mesh in
 * place of NATS (a fan-out publish reaches every other node listening to the channel; an offer goes to the first
 * one listening, as a queue group hands it to one member, and its answer comes when the test lets it).
 */
class BrokerFederationTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    private static final Accounts ACCOUNTS = new Accounts() {
        @Override
        public Mode mode() {
            return Mode.OPTIONAL;
        }

        @Override
        public String canonical(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        @Override
        public void verify(String user, String password, String peer, Consumer<Verdict> then) {
            then.accept(Verdict.OK);
        }
    };

    /** The nodes, and the offers' answers not given yet. */
    private final List<Node> nodes = new ArrayList<>();

    private final List<Runnable> later = new ArrayList<>();
    private long nextId = 1;

    /** One node's side of the mesh. */
    private final class Node implements BrokerFederation {
        final String name;
        final Router router;
        RemoteBroker desk;
        final Set<String> listening = new HashSet<>();
        int published;
        int offered;

        Node(String name, BrokerQueue queue, int receiversMax) {
            this.name = name;
            this.router = new Router(
                    name,
                    new Frames(65536, EventLog.of("role=test")),
                    new Delivery(System.nanoTime() - 1, 1 << 20),
                    new RoomBook("lobby", List.of(), 10),
                    LIMITS,
                    List.of(),
                    ACCOUNTS,
                    Archive.NONE,
                    Router.History.OFF,
                    queue,
                    new BrokerDesk.Settings(receiversMax, true, List.of(), 5, 16384, 100),
                    line -> {});
            router.broker().federate(this);
            nodes.add(this);
        }

        @Override
        public void listen(String key) {
            assertTrue(listening.add(key), "listened twice to " + key);
        }

        @Override
        public void unlisten(String key) {
            assertTrue(listening.remove(key), "not listening to " + key);
        }

        @Override
        public void publish(String channel, String data) {
            published++;
            for (var other : nodes) {
                if (other != this && other.listening.contains(channel)) {
                    other.desk.arrived(channel, data);
                }
            }
        }

        @Override
        public void offer(String channel, String data, Consumer<Boolean> taken) {
            offered++;
            later.add(() -> {
                for (var other : nodes) {
                    if (other != this && other.listening.contains(channel)) {
                        taken.accept(other.desk.take(channel, data));
                        return;
                    }
                }
                taken.accept(false); // no responders
            });
        }

        @Override
        public void attach(RemoteBroker desk) {
            this.desk = desk;
        }

        Member client(TestMailbox box, String role, String channel) {
            long id = nextId++;
            var member = router.join(new ClientRef(name, id, "127.0.0.1:" + (6000 + id), 200 + id, 5, "broker"), box);
            router.login().login(member, 1, "manager", "pw");
            router.broker().attach(member, 2, role, channel);
            assertTrue(box.received.contains(new BrokerAttached(2, role, channel)), box.received.toString());
            return member;
        }
    }

    /** The offers' answers arrive. */
    private void answer() {
        while (!later.isEmpty()) {
            later.removeFirst().run();
        }
    }

    private static List<String> data(TestMailbox box) {
        var data = new ArrayList<String>();
        for (var batch : box.all(BrokerBatch.class)) {
            data.addAll(batch.data());
        }
        return data;
    }

    private static List<Long> ids(TestMailbox box) {
        var ids = new ArrayList<Long>();
        for (var batch : box.all(BrokerBatch.class)) {
            ids.addAll(batch.ids());
        }
        return ids;
    }

    @Test
    void aFanOutChannelsMessagesReachTheReceiversOfEveryOtherNodeOnceEach() {
        var a = new Node("a", BrokerQueue.NONE, 0);
        var b = new Node("b", BrokerQueue.NONE, 0);
        var c = new Node("c", BrokerQueue.NONE, 0);
        var bBox = new TestMailbox();
        var cBox = new TestMailbox();
        var cBox2 = new TestMailbox();
        b.client(bBox, "receiver", "sms");
        c.client(cBox, "receiver", "sms");
        c.client(cBox2, "receiver", "SMS");
        assertEquals(Set.of(), a.listening, "no receiver on a: a does not listen");
        assertEquals(Set.of("sms"), b.listening);
        assertEquals(Set.of("sms"), c.listening, "once per node, not per receiver");
        var senderBox = new TestMailbox();
        var sender = a.client(senderBox, "sender", null);
        for (int i = 0; i < 3; i++) {
            a.router.broker().send(sender, 10 + i, "sms", "{\"n\":" + i + "}");
        }
        var all = List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertEquals(all, data(bBox));
        assertEquals(all, data(cBox));
        assertEquals(all, data(cBox2));
        assertEquals(3, a.published);
        assertEquals(0, a.offered);
        var sent = senderBox.all(BrokerSent.class);
        assertEquals(3, sent.size());
        assertTrue(sent.stream().allMatch(s -> s.receivers() == 0), "the other nodes' receivers are not counted");
        assertEquals(0, b.published, "a node never passes on what it got from another");
    }

    @Test
    void aPersonsLineInARoomWithNoReceiverHereReachesTheOtherNodesReceivers() {
        var a = new Node("a", BrokerQueue.NONE, 0);
        var b = new Node("b", BrokerQueue.NONE, 0);
        var bBox = new TestMailbox();
        b.client(bBox, "receiver", "lobby");
        var person = a.router.join(new ClientRef("a", 99, "127.0.0.1:7000", 300, 5, "telnet"), new TestMailbox());
        a.router.said(person, 1, "hello");
        assertEquals(List.of("{\"text\":\"hello\",\"from\":\"127.0.0.1:7000\"}"), data(bBox));
    }

    @Test
    void aLimitOfOneGivesEachMessageToOneReceiverInTheFederationAndTellsTheSenderWhenTaken() {
        var a = new Node("a", BrokerQueue.NONE, 1);
        var b = new Node("b", BrokerQueue.NONE, 1);
        var c = new Node("c", BrokerQueue.NONE, 1);
        var bBox = new TestMailbox();
        var cBox = new TestMailbox();
        b.client(bBox, "receiver", "sms");
        c.client(cBox, "receiver", "sms");
        var senderBox = new TestMailbox();
        var sender = a.client(senderBox, "sender", null);
        a.router.broker().send(sender, 10, "sms", "1");
        assertEquals(List.of(), senderBox.all(BrokerSent.class), "the sender waits for the answer");
        answer();
        assertEquals(1, data(bBox).size() + data(cBox).size(), "one receiver in the whole federation");
        assertEquals(0, a.published);
        var sent = senderBox.all(BrokerSent.class).getLast();
        assertEquals(1, sent.receivers());
        assertFalse(sent.stored());
    }

    @Test
    void aLimitOfOneWithAReceiverHereKeepsTheMessageHere() {
        var a = new Node("a", BrokerQueue.NONE, 1);
        var b = new Node("b", BrokerQueue.NONE, 1);
        var aBox = new TestMailbox();
        var bBox = new TestMailbox();
        a.client(aBox, "receiver", "sms");
        b.client(bBox, "receiver", "sms");
        var sender = a.client(new TestMailbox(), "sender", null);
        a.router.broker().send(sender, 10, "sms", "1");
        answer();
        assertEquals(List.of("1"), data(aBox));
        assertEquals(List.of(), data(bBox));
        assertEquals(0, a.offered);
    }

    @Test
    void anOfferNobodyTakesIsTheSameAsNoReceiver() {
        var a = new Node("a", BrokerQueue.NONE, 1);
        new Node("b", BrokerQueue.NONE, 1);
        var senderBox = new TestMailbox();
        var sender = a.client(senderBox, "sender", null);
        a.router.broker().send(sender, 10, "sms", "1");
        answer();
        assertEquals(0, senderBox.all(BrokerSent.class).getLast().receivers());
        assertEquals(1, a.router.broker().stats().dropped());
    }

    @Test
    void aStoredMessageIsGivenToNobodyHereWhileOfferedAndForgottenInTheStoreOnceTaken() {
        var store = new BrokerRouterTest.MemoryQueue();
        var a = new Node("a", store, 1);
        var b = new Node("b", BrokerQueue.NONE, 1);
        var bBox = new TestMailbox();
        b.client(bBox, "receiver", "sms");
        var senderBox = new TestMailbox();
        var sender = a.client(senderBox, "sender", null);
        a.router.broker().send(sender, 10, "sms", "\"kept\"");
        var sent = senderBox.all(BrokerSent.class).getLast();
        assertTrue(sent.stored(), sent.toString());
        assertEquals(1, store.stored());
        var aBox = new TestMailbox();
        a.client(aBox, "receiver", "sms"); // comes while the offer is out
        assertEquals(List.of(), data(aBox), "offered: nobody here is given it meanwhile");
        answer();
        assertEquals(List.of("\"kept\""), data(bBox));
        assertEquals(0, store.stored(), "taken elsewhere: forgotten here");
        assertEquals(List.of(), data(aBox));
        assertEquals(0, a.router.broker().stats().pending());
    }

    @Test
    void aStoredMessageNobodyTakesWaitsForAReceiverHere() {
        var store = new BrokerRouterTest.MemoryQueue();
        var a = new Node("a", store, 1);
        var sender = a.client(new TestMailbox(), "sender", null);
        a.router.broker().send(sender, 10, "sms", "\"kept\"");
        answer();
        assertEquals(1, store.stored());
        var aBox = new TestMailbox();
        a.client(aBox, "receiver", "sms");
        assertEquals(List.of("\"kept\""), data(aBox));
    }

    @Test
    void aNodeWhoseLastReceiverLeavesOffersWhatItHeldToTheOthersAndStopsListening() {
        var a = new Node("a", BrokerQueue.NONE, 1);
        var b = new Node("b", BrokerQueue.NONE, 1);
        var c = new Node("c", BrokerQueue.NONE, 1);
        var bBox = new TestMailbox();
        var bReceiver = b.client(bBox, "receiver", "sms");
        var sender = a.client(new TestMailbox(), "sender", null);
        for (int i = 0; i < 3; i++) {
            a.router.broker().send(sender, 10 + i, "sms", String.valueOf(i));
        }
        answer();
        assertEquals(List.of("0", "1", "2"), data(bBox));
        b.router.broker().ack(bReceiver, ids(bBox).subList(0, 1));
        var cBox = new TestMailbox();
        c.client(cBox, "receiver", "sms");
        b.router.left(bReceiver);
        assertEquals(Set.of(), b.listening);
        answer();
        assertEquals(List.of("1", "2"), data(cBox), "what b's receiver held and had not acknowledged");
        assertEquals(0, b.router.broker().stats().pending());
    }
}
