package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
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
        router.join(ref(1, 3), a);
        assertEquals(new Welcome2(2, 1, "node-a", LIMITS), a.received.getFirst());
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
                        new Deliver(new Address.Everyone(), sender, 1, Style.SAY, "hello"),
                        new Deliver(new Address.Everyone(), sender, 2, Style.ACT, "waves")),
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
        router.join(ref(2, 1), b);
        a.clear();
        b.clear();
        router.said(ma, 1, "hi");
        assertTrue(a.all(Say.class).isEmpty());
        assertEquals(1, b.all(Say.class).size());
        router.left(ma);
        assertEquals(List.of(new Left(1, "127.0.0.1:5001", 101)), b.all(Left.class));
        assertTrue(a.all(Left.class).isEmpty());
        assertNull(router.directory().byId(1));
        assertTrue(router.rooms().roomsOf(ma).isEmpty());
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
        var mb = router.resume(ref(7, 1), "ANN", back);
        assertEquals(
                List.of(new Notice("your nickname ANN is taken now; you are 127.0.0.1:5007"), new Welcome(7, LIMITS)),
                back.received);
        assertNull(mb.nick());
        assertTrue(a.all(Joined.class).isEmpty(), "nobody is told a resumed client joined");
        var kept = router.resume(ref(8, 2), "bob", new TestMailbox());
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
    void aLateResumerGetsTheWindowsLinesButNotItsOwn() {
        var router = router(System.nanoTime() + HOUR);
        var early = router.resume(ref(5, 1), null, new TestMailbox());
        var mine = router.resume(ref(7, 2), null, new TestMailbox());
        router.said(early, 1, "from five");
        router.said(mine, 1, "from seven");
        router.left(mine);
        var again = new TestMailbox();
        router.resume(ref(7, 2), null, again);
        var lines = again.all(Deliver.class);
        assertEquals(List.of("from five"), lines.stream().map(Deliver::text).toList());
        var oldWorker = new TestMailbox();
        router.resume(ref(9, 1), null, oldWorker);
        assertEquals(
                List.of("from five", "from seven"),
                oldWorker.all(Say.class).stream().map(Say::text).toList());
    }

    @Test
    void afterTheWindowNothingIsReplayed() {
        var speaker = router.join(ref(1, 1), new TestMailbox());
        router.said(speaker, 1, "late");
        var back = new TestMailbox();
        router.resume(ref(2, 1), null, back);
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
}
