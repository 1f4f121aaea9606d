package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerBatch;
import io.forkcast.protocol.message.SupervisorMessage.BrokerRefused;
import io.forkcast.protocol.message.SupervisorMessage.BrokerSent;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's broker in the routing domain: receivers in order of attaching, the receiver limit, acknowledgements,
 * batches of record_limit, store-and-forward. The accounts and the queue are in memory and answer at once.
 */
class BrokerRouterTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    /** Everyone's password is "pw". */
    private static final Accounts ACCOUNTS = new Accounts() {
        @Override
        public Mode mode() {
            return Mode.OPTIONAL;
        }

        @Override
        public String canonical(String name) {
            return name.toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public void verify(String user, String password, String peer, Consumer<Verdict> then) {
            then.accept("pw".equals(password) ? Verdict.OK : Verdict.REFUSED);
        }
    };

    /** Rows by channel, in memory; a store that answers at once. */
    static final class MemoryQueue implements BrokerQueue {
        final Map<String, TreeMap<Long, Waiting>> rows = new HashMap<>();
        long nextRow = 1;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean store(String channelKey, long id, Member from, String data, Consumer<Long> then) {
            long row = nextRow++;
            rows.computeIfAbsent(channelKey, k -> new TreeMap<>()).put(row, new Waiting(row, id, data));
            then.accept(row);
            return true;
        }

        @Override
        public void waiting(String channelKey, int limit, Consumer<List<Waiting>> then) {
            then.accept(
                    List.copyOf(rows.getOrDefault(channelKey, new TreeMap<>()).values()));
        }

        @Override
        public void forget(List<Long> rowIds) {
            for (var channel : rows.values()) {
                rowIds.forEach(channel::remove);
            }
        }

        int stored() {
            return rows.values().stream().mapToInt(Map::size).sum();
        }
    }

    private final MemoryQueue queue = new MemoryQueue();
    private long nextId = 1;

    private Router router(BrokerQueue brokerQueue, int receiversMax) {
        return new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(System.nanoTime() - 1, 1 << 20),
                new RoomBook("lobby", List.of(), 10),
                LIMITS,
                List.of(),
                ACCOUNTS,
                Archive.NONE,
                Router.History.OFF,
                brokerQueue,
                new BrokerDesk.Settings(receiversMax, true, List.of(), 5, 16384, 100),
                line -> {});
    }

    /** A broker client logged in as {@code user} with {@code role} on {@code channel}. */
    private Member broker(Router router, TestMailbox box, String role, String channel) {
        long id = nextId++;
        var member = router.join(new ClientRef("node-a", id, "127.0.0.1:" + (6000 + id), 200 + id, 5, "broker"), box);
        router.login().login(member, 1, "manager", "pw");
        router.broker().attach(member, 2, role, channel);
        assertTrue(box.received.contains(new BrokerAttached(2, role, channel)), box.received.toString());
        return member;
    }

    private static List<Long> ids(TestMailbox box) {
        var ids = new ArrayList<Long>();
        for (var batch : box.all(BrokerBatch.class)) {
            ids.addAll(batch.ids());
        }
        return ids;
    }

    @Test
    void aLimitOfOneGivesEachMessageToTheFirstReceiverAndWhatItHeldToTheNextWhenItLeaves() {
        var router = router(BrokerQueue.NONE, 1);
        var firstBox = new TestMailbox();
        var secondBox = new TestMailbox();
        var first = broker(router, firstBox, "receiver", "sms");
        broker(router, secondBox, "receiver", "sms");
        var sender = broker(router, new TestMailbox(), "sender", null);
        for (int i = 0; i < 8; i++) {
            router.broker().send(sender, 10 + i, "sms", "{\"n\":" + i + "}");
        }
        var held = ids(firstBox);
        assertEquals(5, held.size(), "record_limit unacknowledged at most");
        assertEquals(List.of(), ids(secondBox));
        router.broker().ack(first, held.subList(0, 2));
        assertEquals(7, ids(firstBox).size(), "two acks make room for two more");
        var acked = ids(firstBox).subList(0, 2);
        router.left(first);
        var second = ids(secondBox);
        assertEquals(5, second.size(), "the five it held, record_limit at a time: " + second);
        router.broker().ack(router.directory().byId(2), second);
        second = ids(secondBox);
        assertEquals(6, second.size(), "then the last one: " + second);
        assertTrue(second.stream().noneMatch(acked::contains));
    }

    @Test
    void aLimitOfTwoWantsTwoAcknowledgementsWhileTwoReceiversAreThere() {
        var router = router(BrokerQueue.NONE, 2);
        var boxes = List.of(new TestMailbox(), new TestMailbox(), new TestMailbox());
        var receivers = new ArrayList<Member>();
        for (var box : boxes) {
            receivers.add(broker(router, box, "receiver", "sms"));
        }
        var sender = broker(router, new TestMailbox(), "sender", null);
        router.broker().send(sender, 10, "sms", "1");
        long id = ids(boxes.get(0)).getFirst();
        assertEquals(List.of(id), ids(boxes.get(1)));
        assertEquals(List.of(), ids(boxes.get(2)), "the third is not in line");
        router.broker().ack(receivers.get(0), List.of(id));
        assertEquals(1, router.broker().stats().pending(), "the second has not acknowledged it");
        router.left(receivers.get(1));
        assertEquals(List.of(id), ids(boxes.get(2)), "the next in line takes the place of the one that left");
        router.broker().ack(receivers.get(2), List.of(id));
        assertEquals(0, router.broker().stats().pending());
    }

    @Test
    void withNoReceiverAMessageWaitsInTheStoreAndTheNextReceiverGetsItInBatchesThenItIsDeleted() {
        var router = router(queue, 0);
        var senderBox = new TestMailbox();
        var sender = broker(router, senderBox, "sender", "otp");
        for (int i = 0; i < 7; i++) {
            router.broker().send(sender, 10 + i, null, "{\"n\":" + i + "}");
        }
        var sent = senderBox.all(BrokerSent.class);
        assertEquals(7, sent.size());
        assertTrue(sent.stream().allMatch(s -> s.stored() && s.receivers() == 0), sent.toString());
        assertEquals(7, queue.stored());

        var box = new TestMailbox();
        var receiver = broker(router, box, "receiver", "otp");
        var first = box.all(BrokerBatch.class);
        assertEquals(1, first.size());
        assertEquals(5, first.getFirst().ids().size());
        router.broker().ack(receiver, first.getFirst().ids());
        assertEquals(2, queue.stored());
        var all = ids(box);
        assertEquals(sent.stream().map(BrokerSent::id).toList(), all);
        router.broker().ack(receiver, all.subList(5, 7));
        assertEquals(0, queue.stored());
    }

    @Test
    void aNewRouterReadsWaitingMessagesBackFromTheStore() {
        var before = router(queue, 0);
        var sender = broker(before, new TestMailbox(), "sender", "otp");
        before.broker().send(sender, 10, "otp", "\"kept\"");
        var after = router(queue, 0);
        var box = new TestMailbox();
        broker(after, box, "receiver", "otp");
        assertEquals(List.of("\"kept\""), box.all(BrokerBatch.class).getFirst().data());
    }

    @Test
    void peoplesLinesReachReceiversAndSendersLinesReachPeople() {
        var router = router(BrokerQueue.NONE, 0);
        var box = new TestMailbox();
        broker(router, box, "receiver", "lobby");
        var personBox = new TestMailbox();
        var person = router.join(new ClientRef("node-a", 99, "127.0.0.1:7000", 300, 5, "telnet"), personBox);
        router.said(person, 1, "hello \"there\"");
        assertEquals(
                List.of("{\"text\":\"hello \\\"there\\\"\",\"from\":\"127.0.0.1:7000\"}"),
                box.all(BrokerBatch.class).getLast().data());
        var sender = broker(router, new TestMailbox(), "sender", null);
        router.broker().send(sender, 5, "lobby", "{\"a\":1}");
        var line = personBox.all(Deliver.class).getLast();
        assertEquals("{\"a\":1}", line.text());
        assertEquals("manager", line.from().name());
    }

    @Test
    void aReceiverCannotSendAndNobodySendsBeforeLoggingIn() {
        var router = router(BrokerQueue.NONE, 0);
        var box = new TestMailbox();
        var receiver = broker(router, box, "receiver", "sms");
        router.broker().send(receiver, 5, "sms", "1");
        assertEquals(
                new BrokerRefused(5, "send", "a receiver cannot send; log in as a sender"), box.received.getLast());
        var strangerBox = new TestMailbox();
        var stranger = router.join(new ClientRef("node-a", 50, "127.0.0.1:7001", 301, 5, "broker"), strangerBox);
        router.broker().send(stranger, 1, "sms", "1");
        assertEquals(new BrokerRefused(1, "send", "log in first"), strangerBox.received.getLast());
    }
}
