package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PeopleList;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.RoomList;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.text.RoomNames;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);
    private static final long HOUR = 3_600_000_000_000L;

    private Router router(long windowEndsNanos) {
        return new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(windowEndsNanos, 1 << 20),
                new RoomBook("lobby", List.of(new RoomBook.Configured("help", "ask here")), 5),
                LIMITS,
                List.of("welcome to the test"));
    }

    private final Router router = router(System.nanoTime() - 1);

    private static ClientRef ref(long id, int level) {
        return new ClientRef("node-a", id, "127.0.0.1:" + (5000 + id), 100 + id, level, "telnet");
    }

    @Test
    void aJoinIsWelcomedAtTheWorkersLevelAndAnnouncedToEveryoneButTheNewcomer() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        router.join(ref(1, 1), a);
        router.join(ref(2, 2), b);
        assertEquals(
                List.of(
                        new Welcome(1, LIMITS),
                        new Notice("welcome to the test"),
                        new Joined(2, "127.0.0.1:5002", 102)),
                a.received);
        assertEquals(List.of(new Welcome2(2, 2, "node-a", LIMITS), new Notice("welcome to the test")), b.received);
    }

    @Test
    void aWorkerOfAHigherLevelIsAnsweredWithOurs() {
        var a = new TestMailbox();
        router.join(ref(1, 9), a);
        assertEquals(new Welcome2(ProtocolLevel.CURRENT, 1, "node-a", LIMITS), a.received.getFirst());
    }

    @Test
    void aLineIsEncodedOncePerLevelAndEachMemberGetsItsOwnKind() {
        var old1 = new TestMailbox();
        var old2 = new TestMailbox();
        var new1 = new TestMailbox();
        var new2 = new TestMailbox();
        var speaker = router.join(ref(1, 2), new TestMailbox());
        router.join(ref(2, 1), old1);
        router.join(ref(3, 1), old2);
        router.join(ref(4, 2), new1);
        router.join(ref(5, 2), new2);
        List.of(old1, old2, new1, new2).forEach(TestMailbox::clear);
        router.said(speaker, 1, "hello");
        router.acted(speaker, 2, "waves");
        var sender = new Sender("node-a", 1, "127.0.0.1:5001", 101);
        assertEquals(
                List.of(new Say(1, "127.0.0.1:5001", 101, 1, "hello"), new Act(1, "127.0.0.1:5001", 101, 2, "waves")),
                old1.received);
        assertEquals(
                List.of(
                        new Deliver(new Address.Room("lobby"), sender, 1, Style.SAY, "hello"),
                        new Deliver(new Address.Room("lobby"), sender, 2, Style.ACT, "waves")),
                new1.received);
        assertSame(old1.frames.getFirst(), old2.frames.getFirst(), "one encoding for every level-1 member");
        assertSame(new1.frames.getFirst(), new2.frames.getFirst(), "one encoding for every level-2 member");
        assertEquals(2, speaker.linesIn());
    }

    @Test
    void theSenderDoesNotHearItselfAndALeaveIsAnnouncedToTheOthers() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        var ma = router.join(ref(1, 1), a);
        var mb = router.join(ref(2, 1), b);
        a.clear();
        b.clear();
        router.said(ma, 1, "hi");
        assertTrue(a.all(Say.class).isEmpty());
        assertEquals(1, b.all(Say.class).size());
        router.left(ma);
        assertEquals(List.of(new Left(1, "127.0.0.1:5001", 101)), b.all(Left.class));
        assertTrue(a.all(Left.class).isEmpty());
        assertNull(router.directory().byId(1));
        assertNull(ma.room());
        assertEquals(
                List.of(mb), List.copyOf(router.rooms().members(router.rooms().lobby())));
    }

    @Test
    void nicknamesAreUniqueWhateverTheirCase() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        var ma = router.join(ref(1, 1), a);
        var mb = router.join(ref(2, 1), b);
        assertEquals(Router.Outcome.RENAMED, router.nick(ma, 1, "Ann"));
        assertEquals(new NickAccepted(1, "Ann"), a.received.getLast());
        assertEquals(new Renamed(1, "127.0.0.1:5001", "Ann", 101), b.received.getLast());
        assertEquals(Router.Outcome.REFUSED, router.nick(mb, 1, "aNN"));
        assertEquals(new NickRefused(1, "aNN", "it is taken"), b.received.getLast());
        assertEquals(Router.Outcome.UNCHANGED, router.nick(ma, 2, "Ann"));
        assertEquals(Router.Outcome.REFUSED, router.nick(mb, 2, "has space"));
    }

    @Test
    void aResumeWithANicknameTakenMeanwhileGoesOnWithoutIt() {
        var a = new TestMailbox();
        var ma = router.join(ref(1, 1), a);
        router.nick(ma, 1, "ann");
        var back = new TestMailbox();
        var mb = router.resume(ref(7, 1), "ANN", List.of(), back);
        assertEquals(
                List.of(new Welcome(7, LIMITS), new Notice("your nickname ANN is taken now; you are 127.0.0.1:5007")),
                back.received);
        assertNull(mb.nick());
        assertTrue(a.all(Joined.class).isEmpty(), "nobody is told a resumed client joined");
        var kept = router.resume(ref(8, 2), "bob", List.of(), new TestMailbox());
        assertEquals("bob", kept.nick());
    }

    @Test
    void whoListsEveryoneInOrderOfArrival() {
        var a = new TestMailbox();
        var ma = router.join(ref(3, 1), a);
        router.join(ref(1, 2), new TestMailbox());
        router.join(ref(2, 1), new TestMailbox());
        router.who(ma);
        var who = a.all(WhoList.class).getFirst();
        assertEquals(
                List.of(3L, 1L, 2L),
                Arrays.stream(who.entries()).map(e -> e.id()).toList());
    }

    @Test
    void aRepeatedLineIsDroppedAndAcksGoOutOncePerTurn() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        var ma = router.join(ref(1, 1), a);
        router.join(ref(2, 1), b);
        router.said(ma, 1, "one");
        router.said(ma, 2, "two");
        router.said(ma, 2, "two again");
        router.said(ma, 1, "one again");
        assertTrue(a.all(Ack.class).isEmpty(), "no ack before the end of the turn");
        router.endOfTurn();
        router.endOfTurn();
        assertEquals(List.of(new Ack(2)), a.all(Ack.class));
        assertEquals(
                List.of("one", "two"), b.all(Say.class).stream().map(Say::text).toList());
        assertEquals(2, router.delivery().duplicatesDropped());
    }

    @Test
    void aLineIsAckedOnlyOnceEveryRecipientHasWrittenItOrDroppedIt() {
        var a = new TestMailbox();
        var fast = new TestMailbox();
        var slow = new TestMailbox();
        var ma = router.join(ref(1, 1), a);
        router.join(ref(2, 1), fast);
        router.join(ref(3, 1), slow);
        slow.holding = true;
        router.said(ma, 1, "one");
        router.endOfTurn();
        assertTrue(a.all(Ack.class).isEmpty(), "line 1 still waits in the slow outbox");
        slow.written();
        slow.holding = false;
        router.said(ma, 2, "two");
        router.endOfTurn();
        assertEquals(List.of(new Ack(2)), a.all(Ack.class));
        slow.holding = true;
        router.said(ma, 3, "three");
        router.said(ma, 4, "four");
        router.endOfTurn();
        assertEquals(List.of(new Ack(2)), a.all(Ack.class));
        slow.held.removeLast().release(); // line 4 written, line 3 not: nothing past 2 yet
        router.endOfTurn();
        assertEquals(List.of(new Ack(2)), a.all(Ack.class));
        slow.written(); // written, or discarded with a worker dropped for cause
        router.endOfTurn();
        assertEquals(List.of(new Ack(2), new Ack(4)), a.all(Ack.class));
    }

    @Test
    void aLateResumerGetsTheWindowsLinesButNotItsOwn() {
        var router = router(System.nanoTime() + HOUR);
        var early = router.resume(ref(5, 1), null, List.of(), new TestMailbox());
        var mine = router.resume(ref(7, 2), null, List.of(), new TestMailbox());
        router.said(early, 1, "from five");
        router.said(mine, 1, "from seven");
        router.left(mine);
        var again = new TestMailbox();
        router.resume(ref(7, 2), null, List.of(), again);
        var lines = again.all(Deliver.class);
        assertEquals(List.of("from five"), lines.stream().map(Deliver::text).toList());
        var oldWorker = new TestMailbox();
        router.resume(ref(9, 1), null, List.of(), oldWorker);
        assertEquals(
                List.of("from five", "from seven"),
                oldWorker.all(Say.class).stream().map(Say::text).toList());
    }

    @Test
    void afterTheWindowNothingIsReplayed() {
        var speaker = router.join(ref(1, 1), new TestMailbox());
        router.said(speaker, 1, "late");
        var back = new TestMailbox();
        router.resume(ref(2, 1), null, List.of(), back);
        assertTrue(back.all(Say.class).isEmpty());
        assertEquals(0, router.delivery().recentLines());
    }

    @Test
    void aMailboxThatRefusesIsReportedAndReceivesNothingMore() {
        var slow = new TestMailbox();
        var speaker = router.join(ref(1, 1), new TestMailbox());
        var ms = router.join(ref(2, 1), slow);
        slow.refusing = true;
        router.said(speaker, 1, "one");
        assertFalse(ms.receiving());
        router.said(speaker, 2, "two");
        assertEquals(1, router.broadcast("hello all"));
        assertEquals(1, slow.refused, "refused once, then left alone");
        assertEquals(1, router.receiving());
        assertFalse(router.notice(2, "anyone there?"));
    }

    @Test
    void newLimitsGoToEveryoneOnlyWhenTheyChange() {
        var a = new TestMailbox();
        router.join(ref(1, 1), a);
        a.clear();
        router.limits(LIMITS);
        assertTrue(a.received.isEmpty());
        var next = new Limits(100, 1, 1, 1, 4096);
        router.limits(next);
        assertEquals(List.of(next), a.received);
    }

    // ---- Rooms and private messages (level 3)

    private static Sender sender(long id) {
        return new Sender("node-a", id, "127.0.0.1:" + (5000 + id), 100 + id);
    }

    @Test
    void aLevel3ClientIsToldItsRoomOnJoiningAndALineStaysInItsRoom() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        var c = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        var mb = router.join(ref(2, 3), b);
        router.join(ref(3, 3), c);
        assertEquals(new Entered(0, "lobby", null), a.all(Entered.class).getFirst());
        router.desk().enter(ma, 1, "#Dev");
        router.desk().enter(mb, 1, "dev");
        List.of(a, b, c).forEach(TestMailbox::clear);
        router.said(ma, 2, "in dev");
        assertEquals(List.of(new Deliver(new Address.Room("Dev"), sender(1), 2, Style.SAY, "in dev")), b.received);
        assertTrue(c.received.isEmpty(), "the lobby hears nothing of #Dev");
        assertEquals("Dev", mb.room().name(), "a room is shown as it was typed first");
    }

    @Test
    void aMoveIsAnnouncedInBothRoomsAndTheMoverSeesTopicAndPeople() {
        var a = new TestMailbox();
        var old = new TestMailbox();
        var there = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        router.join(ref(2, 3), old);
        var mt = router.join(ref(3, 1), there);
        router.desk().enter(mt, 1, "help");
        List.of(a, old, there).forEach(TestMailbox::clear);
        router.desk().enter(ma, 1, "help");
        assertEquals(List.of(new RoomLeft(sender(1), "lobby", "help")), old.received);
        assertEquals(List.of(new Joined(1, "127.0.0.1:5001", 101)), there.received, "level 1 sees a plain join");
        var entered = a.all(Entered.class).getFirst();
        assertEquals(1, entered.seq());
        assertEquals("help", entered.room());
        assertEquals("ask here", entered.topic());
        var people = a.all(PeopleList.class).getFirst();
        assertEquals("help", people.room());
        assertEquals(
                List.of(3L, 1L),
                people.people().stream().map(p -> p.who().clientId()).toList());
        router.desk().enter(ma, 2, "HELP");
        assertEquals(new Notice("you are already in #help"), a.received.getLast());
        router.desk().enter(ma, 3, null);
        assertEquals("lobby", ma.room().name(), "/part goes back to the default room");
    }

    @Test
    void badNamesAndTooManyRoomsAreRefusedWithOneLine() {
        var a = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        router.desk().enter(ma, 1, "no spaces");
        assertEquals(new Notice(RoomNames.RULE), a.received.getLast());
        router.desk().enter(ma, 2, "x".repeat(33));
        assertEquals(new Notice(RoomNames.RULE), a.received.getLast());
        // lobby and help exist; the limit is 5: three more rooms can be made.
        var others = new java.util.ArrayList<Member>();
        for (int i = 0; i < 3; i++) {
            var m = router.join(ref(10 + i, 3), new TestMailbox());
            router.desk().enter(m, 1, "r" + i);
            others.add(m);
        }
        router.desk().enter(ma, 3, "one-too-many");
        assertEquals(new Notice("too many rooms"), a.received.getLast());
        assertEquals("lobby", ma.room().name());
        router.desk().enter(others.getFirst(), 2, null);
        assertNull(router.rooms().find("r0"), "an empty room disappears");
        router.desk().enter(ma, 4, "one-too-many");
        assertEquals("one-too-many", ma.room().name());
    }

    @Test
    void anEmptyRoomLosesItsTopicUnlessItIsConfigured() {
        var a = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        router.desk().enter(ma, 1, "dev");
        router.desk().topic(ma, "ship it");
        assertEquals(new TopicChanged(sender(1), "dev", "ship it"), a.received.getLast());
        router.desk().enter(ma, 2, null);
        router.desk().enter(ma, 3, "dev");
        assertNull(a.all(Entered.class).getLast().topic(), "the room was made again, without its topic");
        router.desk().enter(ma, 4, "help");
        router.desk().topic(ma, "new help");
        router.desk().enter(ma, 5, null);
        assertEquals("new help", router.rooms().find("help").topic(), "a configured room keeps its topic");
        router.desk().topic(ma, null);
        assertEquals(new Notice("#lobby has no topic"), a.received.getLast());
        router.desk().topic(ma, "x".repeat(201));
        assertEquals(new Notice("a topic has at most 200 bytes, this one has 201"), a.received.getLast());
    }

    @Test
    void aPrivateLineReachesOnlyItsRecipientAndTheSenderIsTold() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        var c = new TestMailbox();
        var old = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        var mb = router.join(ref(2, 3), b);
        router.join(ref(3, 3), c);
        var mo = router.join(ref(4, 1), old);
        router.nick(mb, 1, "Bob");
        router.nick(mo, 1, "Olga");
        List.of(a, b, c, old).forEach(TestMailbox::clear);
        router.privately(ma, 1, "bob", null, "psst");
        assertEquals(
                List.of(new Deliver(new Address.Client("node-a", 2), sender(1), 1, Style.SAY, "psst")), b.received);
        assertEquals(List.of(new PrivateSent(1, "Bob", "psst")), a.received);
        assertTrue(c.received.isEmpty());
        router.privately(ma, 2, "olga", null, "hi");
        assertEquals(List.of(new Notice("127.0.0.1:5001 (101) privately: hi")), old.received);
        router.privately(ma, 3, "nobody", null, "hello?");
        assertEquals(new Notice("no such nick: nobody"), a.received.getLast());
        router.privately(mb, 2, "127.0.0.1:5001", new Address.Client("node-a", 1), "back");
        assertEquals(
                new Deliver(new Address.Client("node-a", 1), new Sender("node-a", 2, "Bob", 102), 2, Style.SAY, "back"),
                a.all(Deliver.class).getLast());
        assertEquals(3, router.privateLines());
    }

    @Test
    void whoListsTheRoomAndWhoStarListsEveryoneWithTheirRooms() {
        var a = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        var mb = router.join(ref(2, 3), new TestMailbox());
        router.join(ref(3, 3), new TestMailbox());
        router.desk().enter(mb, 1, "dev");
        router.desk().people(ma, false);
        var room = a.all(PeopleList.class).getLast();
        assertEquals("lobby", room.room());
        assertEquals(
                List.of(1L, 3L),
                room.people().stream().map(p -> p.who().clientId()).toList());
        router.desk().people(ma, true);
        var all = a.all(PeopleList.class).getLast();
        assertNull(all.room());
        assertEquals(
                List.of("lobby", "dev", "lobby"),
                all.people().stream().map(Present::room).toList());
        router.desk().roomList(ma);
        assertEquals(
                List.of(
                        new RoomEntry("help", 0, "ask here"),
                        new RoomEntry("lobby", 2, null),
                        new RoomEntry("dev", 1, null)),
                a.all(RoomList.class).getLast().rooms());
    }

    @Test
    void aResumerComesBackToItsRoomWithItsTopicAndGetsOnlyThatRoomsLines() {
        var router = router(System.nanoTime() + HOUR);
        var early = router.resume(ref(5, 3), null, List.of(new RoomEntry("dev", 0, "the topic")), new TestMailbox());
        var lobbyist = router.resume(ref(6, 3), null, List.of(), new TestMailbox());
        router.said(early, 1, "in dev");
        router.said(lobbyist, 1, "in the lobby");
        var late = new TestMailbox();
        var back = router.resume(ref(7, 3), null, List.of(new RoomEntry("DEV", 0, "another topic")), late);
        assertEquals("dev", back.room().name());
        assertEquals("the topic", router.rooms().find("dev").topic(), "the first resumer's topic is kept");
        assertEquals(new Entered(0, "dev", "the topic"), late.all(Entered.class).getFirst());
        assertEquals(
                List.of("in dev"),
                late.all(Deliver.class).stream().map(Deliver::text).toList());
        var eight = new TestMailbox();
        router.resume(ref(8, 3), null, List.of(new RoomEntry("bad name", 0, null)), eight);
        assertEquals(
                List.of("in the lobby"),
                eight.all(Deliver.class).stream().map(Deliver::text).toList());
    }

    @Test
    void anOperatorNoticeReachesOneRoom() {
        var a = new TestMailbox();
        var b = new TestMailbox();
        router.join(ref(1, 3), a);
        var mb = router.join(ref(2, 1), b);
        router.desk().enter(mb, 1, "help");
        assertEquals(1, router.desk().roomNotice("#HELP", "hello help"));
        assertEquals(new Notice("admin: hello help"), b.received.getLast());
        assertTrue(a.all(Notice.class).stream().noneMatch(n -> n.text().contains("hello help")));
        assertEquals(-1, router.desk().roomNotice("nowhere", "anyone?"));
        assertEquals(1, router.desk().roomNotice("lobby", "to the lobby"));
        assertEquals(new Notice("admin: to the lobby"), a.received.getLast());
    }

    @Test
    void listsLongerThanAFrameComeInPartsThatEachFit() {
        var router = new Router(
                "node-a",
                new Frames(4096, EventLog.of("role=test")),
                new Delivery(0, 1 << 20),
                new RoomBook("lobby", List.of(), 1000),
                LIMITS,
                List.of());
        var a = new TestMailbox();
        var ma = router.join(ref(1, 3), a);
        for (int i = 2; i <= 200; i++) {
            var m = router.join(ref(i, 3), new TestMailbox());
            router.nick(m, 1, "someone-with-a-long-name-" + i);
            if (i % 2 == 0) {
                router.desk().enter(m, 2, "room-" + i);
                router.desk().topic(m, "t".repeat(150));
            }
        }
        a.clear();
        router.desk().people(ma, true);
        var parts = a.all(PeopleList.class);
        assertTrue(parts.size() > 1, "one part only: " + parts.size());
        int offset = 0;
        var ids = new java.util.ArrayList<Long>();
        for (var part : parts) {
            assertEquals(200, part.total());
            assertEquals(offset, part.offset());
            offset += part.people().size();
            part.people().forEach(p -> ids.add(p.who().clientId()));
        }
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList(), ids);
        router.desk().roomList(ma);
        var roomParts = a.all(RoomList.class);
        assertTrue(roomParts.size() > 1);
        assertEquals(101, roomParts.stream().mapToInt(r -> r.rooms().size()).sum());
        router.who(ma); // a level 1 or 2 /who
        var whoParts = a.all(io.forkcast.protocol.message.SupervisorMessage.WhoList.class);
        assertTrue(whoParts.size() > 1, "one part only: " + whoParts.size());
        assertEquals(
                java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList(),
                whoParts.stream()
                        .flatMap(w -> java.util.Arrays.stream(w.entries()))
                        .map(e -> e.id())
                        .toList());
        assertEquals(a.frames.size(), a.received.size(), "every part was encoded");
    }
}
