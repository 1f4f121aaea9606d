package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.RoomJoined;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routing domain's side of a federation: what goes out, which rooms are listened to, what comes in. */
class FederationRouterTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    /** The other nodes, recorded: the boundary of the routing domain, not one of its parts. */
    private static final class OtherNodes implements Federation {
        final List<Object> calls = new ArrayList<>();
        RemoteDesk desk;

        @Override
        public void publish(RoomEvent event) {
            calls.add(event);
        }

        @Override
        public void subscribe(String key) {
            calls.add("+" + key);
        }

        @Override
        public void unsubscribe(String key) {
            calls.add("-" + key);
        }

        /** Private lines offered, with the answer to give each. */
        final List<PrivateLine> offered = new ArrayList<>();

        final List<java.util.function.Consumer<String>> answers = new ArrayList<>();

        @Override
        public void privately(PrivateLine line, java.util.function.Consumer<String> answer) {
            offered.add(line);
            answers.add(answer);
        }

        @Override
        public void attach(RemoteDesk desk) {
            this.desk = desk;
        }

        /** No other node answers anything (FederationDirectoryTest covers the answers). */
        @Override
        public void ask(Ask.Question question, java.util.function.Consumer<Ask.Gathered> then) {
            then.accept(Ask.Gathered.NONE);
        }

        @Override
        public void attach(Census census) {}
    }

    private final OtherNodes others = new OtherNodes();
    private final Frames frames = new Frames(65536, EventLog.of("role=test"));
    private final RoomBook rooms = new RoomBook("lobby", List.of(), 10);
    private final Router router =
            new Router("node-a", frames, new Delivery(System.nanoTime() - 1, 1 << 20), rooms, LIMITS, List.of());

    {
        rooms.federate(others, frames, router.directory());
    }

    private static ClientRef ref(long id, int level) {
        return new ClientRef("node-a", id, "127.0.0.1:" + (5000 + id), 100 + id, level, "telnet");
    }

    private static Sender sender(long id, String name) {
        return new Sender("node-a", id, name, 100 + id);
    }

    @Test
    void aRoomIsListenedToWhileItHasLocalMembersAndEventsGoOutInOrderAtTheEndOfTheTurn() {
        var alice = router.join(ref(1, 3), new TestMailbox());
        var bob = router.join(ref(2, 3), new TestMailbox());
        router.said(alice, 1, "hi");
        assertEquals(List.of("+lobby"), others.calls, "nothing is published before the turn ends");
        router.endOfTurn();
        String a = "127.0.0.1:5001";
        String b = "127.0.0.1:5002";
        assertEquals(
                List.of(
                        "+lobby",
                        new RoomEvent.Joined("lobby", sender(1, a), null),
                        new RoomEvent.Joined("lobby", sender(2, b), null),
                        new RoomEvent.Said("lobby", sender(1, a), 1, Style.SAY, "hi")),
                others.calls);
        others.calls.clear();

        router.desk().enter(alice, 2, "Side");
        router.nick(bob, 3, "bob");
        router.endOfTurn();
        assertEquals(
                List.of(
                        "+side",
                        new RoomEvent.Left("lobby", sender(1, a), "Side"),
                        new RoomEvent.Joined("Side", sender(1, a), "lobby"),
                        new RoomEvent.Renamed("lobby", sender(2, "bob"), b)),
                others.calls);
        others.calls.clear();

        router.left(bob);
        router.left(alice);
        router.endOfTurn();
        assertEquals(
                List.of(
                        "-lobby",
                        "-side",
                        new RoomEvent.Left("lobby", sender(2, "bob"), null),
                        new RoomEvent.Left("Side", sender(1, a), null)),
                others.calls);
    }

    @Test
    void aPrivateLineForNobodyHereIsOfferedToTheOtherNodesAndTheSenderToldTheirAnswer() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1, 3), mailbox);
        router.privately(alice, 1, "carol", null, "psst");
        router.privately(alice, 2, "nobody", null, "hello?");
        assertEquals(
                List.of(
                        new PrivateLine(sender(1, "127.0.0.1:5001"), 1, "carol", null, "psst"),
                        new PrivateLine(sender(1, "127.0.0.1:5001"), 2, "nobody", null, "hello?")),
                others.offered);
        mailbox.clear();
        others.answers.get(0).accept("carol");
        others.answers.get(1).accept(null);
        assertEquals(
                List.of(new PrivateSent(1, "carol", "psst"), new Notice("no such nick: nobody")), mailbox.received);
    }

    @Test
    void aPrivateLineFromAnotherNodeReachesTheLocalHolderOfTheNick() {
        var mailbox = new TestMailbox();
        var carol = router.join(ref(3, 3), mailbox);
        router.nick(carol, 1, "carol");
        mailbox.clear();
        var bob = new Sender("node-b", 1, "bob", 900);
        assertEquals("carol", others.desk.privately(new PrivateLine(bob, 4, "CAROL", null, "psst"), "node-a"));
        assertEquals(
                List.of(new Deliver(new Address.Client("node-a", 3), bob, 4, Style.SAY, "psst")), mailbox.received);
        assertEquals(null, others.desk.privately(new PrivateLine(bob, 5, "dave", null, "psst"), "node-a"));
    }

    @Test
    void aResumingClientArrivesUnderTheNicknameItResumesWith() {
        router.resume(ref(7, 3), "carol", List.of(), new TestMailbox());
        router.endOfTurn();
        assertEquals(List.of("+lobby", new RoomEvent.Joined("lobby", sender(7, "carol"), null)), others.calls);
    }

    @Test
    void aRemoteLineReachesLocalMembersAsALocalOneWithItsOwnNode() {
        var level3 = new TestMailbox();
        var level1 = new TestMailbox();
        router.join(ref(1, 3), level3);
        router.join(ref(2, 1), level1);
        level3.clear();
        level1.clear();
        var bob = new Sender("node-b", 1, "bob", 900);
        others.desk.received(new RoomEvent.Said("LOBBY", bob, 5, Style.SAY, "hi"));
        assertEquals(List.of(new Deliver(new Address.Room("lobby"), bob, 5, Style.SAY, "hi")), level3.received);
        assertEquals(List.of(new Say(1, "bob", 900, 5, "hi")), level1.received);
    }

    @Test
    void remoteArrivalsMovesAndRenamesAreShownAsLocalOnesAndAnArrivalSeenBeforeIsNotShownTwice() {
        var local = new TestMailbox();
        router.join(ref(1, 3), local);
        local.clear();
        var bob = new Sender("node-b", 1, "bob", 900);
        others.desk.received(new RoomEvent.Joined("lobby", bob, null));
        others.desk.received(new RoomEvent.Joined("lobby", bob, null)); // its node restarted, its worker resumed
        others.desk.received(new RoomEvent.Renamed("lobby", new Sender("node-b", 1, "robert", 900), "bob"));
        var robert = new Sender("node-b", 1, "robert", 900);
        others.desk.received(new RoomEvent.Left("lobby", robert, "side"));
        others.desk.received(new RoomEvent.Joined("lobby", robert, "side"));
        assertEquals(
                List.of(
                        new Joined(1, "bob", 900),
                        new Renamed(1, "bob", "robert", 900),
                        new RoomLeft(robert, "lobby", "side"),
                        new RoomJoined(robert, "lobby")),
                local.received);
    }

    @Test
    void aTopicIsPublishedAndAnotherNodesTopicIsSetAndShownAsALocalOne() {
        var level3 = new TestMailbox();
        var level1 = new TestMailbox();
        var alice = router.join(ref(1, 3), level3);
        router.join(ref(2, 1), level1);
        router.endOfTurn();
        others.calls.clear();
        router.desk().topic(alice, "tea at five");
        router.endOfTurn();
        assertEquals(
                List.of(new RoomEvent.Topic("lobby", sender(1, "127.0.0.1:5001"), "tea at five", true)), others.calls);
        others.calls.clear();
        level3.clear();
        level1.clear();

        var bob = new Sender("node-b", 1, "bob", 900);
        others.desk.received(new RoomEvent.Topic("lobby", bob, "coffee at six", true));
        assertEquals(List.of(new TopicChanged(bob, "lobby", "coffee at six")), level3.received);
        assertEquals(List.of(new Notice("bob (900) set the topic: coffee at six")), level1.received);
        assertEquals("coffee at six", others.desk.topic("LOBBY"));
        router.endOfTurn();
        assertEquals(List.of(), others.calls, "a remote topic is not published again");
    }

    @Test
    void aNodeThatStartsListeningTakesTheTopicItIsToldOnlyWhenItHasNone() {
        var local = new TestMailbox();
        var alice = router.join(ref(1, 3), local);
        assertNull(others.desk.topic("lobby"));
        assertNull(others.desk.topic("nowhere"));
        local.clear();
        var nodeB = new Sender("node-b", 0, "", 0);
        others.desk.received(new RoomEvent.Topic("lobby", nodeB, "tea at five", false));
        assertEquals(List.of(new Notice("topic of #lobby: tea at five")), local.received);
        assertEquals("tea at five", others.desk.topic("lobby"));
        assertEquals(0, others.desk.known(), "the answering node is nobody in the room");
        local.clear();
        others.desk.received(new RoomEvent.Topic("lobby", nodeB, "something else", false));
        assertEquals(List.of(), local.received, "a room with a topic keeps it");
        assertEquals("tea at five", others.desk.topic("lobby"));
        router.desk().topic(alice, null);
        assertEquals(List.of(new Notice("topic of #lobby: tea at five")), local.received);
    }

    @Test
    void aNodeThatAsksWhoIsInARoomIsToldItsLocalPeopleAndWhatItIsToldIsNotShown() {
        var local = new TestMailbox();
        var alice = router.join(ref(1, 3), local);
        router.nick(alice, 1, "alice");
        assertEquals(List.of(sender(1, "alice")), others.desk.roster("LOBBY"));
        assertEquals(List.of(), others.desk.roster("nowhere"));
        local.clear();
        var bob = new Sender("node-b", 1, "bob", 900);
        others.desk.received(new RoomEvent.Here("lobby", bob));
        assertEquals(List.of(), local.received, "someone already there is not announced");
        assertEquals(1, others.desk.known());
        others.desk.received(new RoomEvent.Joined("lobby", bob, null));
        assertEquals(List.of(), local.received, "nor when its arrival comes after");
        assertEquals(1, others.desk.nodeGone("node-b"));
        assertEquals(List.of(new Left(1, "bob", 900)), local.received);
    }

    @Test
    void aSilentNodesPeopleAreShownAsLeftOnceAndEventsOfRoomsWithoutLocalMembersAreDropped() {
        var local = new TestMailbox();
        router.join(ref(1, 3), local);
        local.clear();
        var bob = new Sender("node-b", 1, "bob", 900);
        var dan = new Sender("node-c", 1, "dan", 901);
        others.desk.received(new RoomEvent.Said("lobby", bob, 1, Style.SAY, "hello"));
        others.desk.received(new RoomEvent.Joined("lobby", dan, null));
        others.desk.received(new RoomEvent.Said("elsewhere", bob, 2, Style.SAY, "not here"));
        assertEquals(2, others.desk.known());
        local.clear();
        assertEquals(1, others.desk.nodeGone("node-b"));
        assertEquals(0, others.desk.nodeGone("node-b"));
        assertEquals(List.of(new Left(1, "bob", 900)), local.received);
        assertEquals(1, others.desk.known(), "node-c's people stay");
        assertTrue(local.all(Deliver.class).isEmpty());
    }
}
