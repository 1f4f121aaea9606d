package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.AdminMessage;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.OpenAnswered;
import io.forkcast.protocol.message.SupervisorMessage.TaggedLine;
import io.forkcast.protocol.message.SupervisorMessage.TaggedSent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * WebSocket clients in the routing domain: held out of rooms until their handshake is accepted, seed 001's tag
 * routing (AND of the pairs, across rooms, never to the sender), application keys for opening and sending, repeats
 * dropped, and seed 003's operator messages by protocol level. No sockets: mailboxes in memory.
 */
class TagRouterTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    /** 001's README: application1 may open, application2 may only send. */
    private static final Applications TWO_APPS = new Applications() {
        @Override
        public Grant grant(String key, String secret) {
            if ("application1".equals(key) && "s1".equals(secret)) {
                return Grant.OPEN;
            }
            if ("application2".equals(key) && "s2".equals(secret)) {
                return Grant.SEND;
            }
            return Grant.NONE;
        }

        @Override
        public boolean required() {
            return true;
        }
    };

    private final List<String> logged = new ArrayList<>();
    private final Router router = new Router(
            "node-a",
            new Frames(65536, EventLog.of("role=test")),
            new Delivery(System.nanoTime() - 1, 1 << 20),
            new RoomBook("lobby", List.of(new RoomBook.Configured("dev", null)), 10),
            LIMITS,
            List.of(),
            Accounts.NONE,
            Archive.NONE,
            Router.History.OFF,
            BrokerQueue.NONE,
            BrokerDesk.Settings.DEFAULT,
            logged::add);
    private long nextId = 1;

    private Member connect(TestMailbox box, String kind, int level) {
        long id = nextId++;
        return router.join(new ClientRef("node-a", id, "127.0.0.1:" + (5000 + id), 100 + id, level, kind), box);
    }

    /** A WebSocket client opened with {@code tags} (and no key), its mailbox cleared. */
    private Member open(TestMailbox box, Map<String, String> tags) {
        var member = connect(box, "websocket", 6);
        router.tags().open(member, 1, null, null, tags);
        assertTrue(box.received.contains(new OpenAnswered(1, true, null)), box.received.toString());
        box.clear();
        return member;
    }

    @Test
    void aWebSocketClientIsInNoRoomAndSeenByNobodyUntilItsHandshakeIsAccepted() {
        var telnetBox = new TestMailbox();
        connect(telnetBox, "telnet", 6);
        telnetBox.clear();
        var box = new TestMailbox();
        var member = connect(box, "websocket", 6);
        assertTrue(member.awaitingOpen());
        assertNull(member.room());
        assertEquals(List.of(), telnetBox.all(Joined.class), "a page load or a refused handshake is never seen");
        router.said(member, 1, "too early");
        assertEquals(List.of(), telnetBox.received);
        assertEquals(1, router.directory().who().entries().length, "not in the who list either");

        router.tags().open(member, 2, null, null, Map.of("language", "FR"));
        assertFalse(member.awaitingOpen());
        assertEquals("lobby", member.room().name);
        assertEquals(new OpenAnswered(2, true, null), box.received.get(box.received.size() - 2));
        assertEquals(new Entered(0, "lobby", null), box.received.getLast(), "answered first, then placed");
        assertEquals(1, telnetBox.all(Joined.class).size());
        assertEquals(Map.of("language", "FR"), member.tags());
    }

    @Test
    void aTaggedMessageReachesEveryClientHavingAllItsPairsAcrossRoomsButNotItsSender() {
        var frBox = new TestMailbox();
        var frDevBox = new TestMailbox();
        var enBox = new TestMailbox();
        var senderBox = new TestMailbox();
        var telnetBox = new TestMailbox();
        open(frBox, Map.of("language", "FR", "team", "ops"));
        var frDev = open(frDevBox, Map.of("language", "FR", "team", "ops"));
        router.desk().enter(frDev, 2, "dev");
        open(enBox, Map.of("language", "EN", "team", "ops"));
        var sender = open(senderBox, Map.of("language", "FR", "team", "ops"));
        connect(telnetBox, "telnet", 6);
        telnetBox.clear();

        router.tags().send(sender, 5, "bonjour", Map.of("language", "FR", "team", "ops"), null, null);
        var line = new TaggedLine(sender.sender, 5, "bonjour", Map.of("language", "FR", "team", "ops"));
        assertEquals(List.of(line), frBox.all(TaggedLine.class));
        assertEquals(List.of(line), frDevBox.all(TaggedLine.class), "across rooms");
        assertEquals(List.of(), enBox.all(TaggedLine.class), "EN has team=ops but not language=FR");
        assertEquals(List.of(), telnetBox.all(TaggedLine.class));
        assertEquals(List.of(new TaggedSent(5, 2, null)), senderBox.all(TaggedSent.class));
        assertEquals(List.of(), senderBox.all(TaggedLine.class), "never to its sender");

        router.tags().send(sender, 6, "hi", Map.of("team", "ops"), null, null);
        assertEquals(new TaggedSent(6, 3, null), senderBox.all(TaggedSent.class).getLast());
        router.tags().send(sender, 7, "nobody", Map.of("language", "DE"), null, null);
        assertEquals(new TaggedSent(7, 0, null), senderBox.all(TaggedSent.class).getLast());
    }

    @Test
    void aRepeatedTaggedMessageIsDroppedAndAckedOnlyAfterItWasRelayed() {
        var box = new TestMailbox();
        var senderBox = new TestMailbox();
        open(box, Map.of("k", "v"));
        var sender = open(senderBox, Map.of());
        router.tags().send(sender, 9, "once", Map.of("k", "v"), null, null);
        router.tags().send(sender, 9, "once", Map.of("k", "v"), null, null);
        assertEquals(1, box.all(TaggedLine.class).size());
        assertEquals(List.of(new TaggedSent(9, 1, null)), senderBox.all(TaggedSent.class));
        assertEquals(List.of(), senderBox.all(Ack.class), "acked at the end of the turn");
        router.endOfTurn();
        assertEquals(List.of(new Ack(9)), senderBox.all(Ack.class));
    }

    @Test
    void aClientThatLeftOrReopenedWithOtherTagsIsOutOfTheIndex() {
        var box = new TestMailbox();
        var otherBox = new TestMailbox();
        var senderBox = new TestMailbox();
        var member = open(box, Map.of("language", "FR"));
        var other = open(otherBox, Map.of("language", "FR"));
        var sender = open(senderBox, Map.of());
        assertEquals(1, router.tags().pairs());
        router.left(other);
        // Its worker resumed under a new supervisor says its handshake again, with other tags.
        router.tags().open(member, 3, null, null, Map.of("language", "EN"));
        router.tags().send(sender, 2, "x", Map.of("language", "FR"), null, null);
        assertEquals(new TaggedSent(2, 0, null), senderBox.all(TaggedSent.class).getLast());
        router.tags().send(sender, 3, "y", Map.of("language", "EN"), null, null);
        assertEquals(new TaggedSent(3, 1, null), senderBox.all(TaggedSent.class).getLast());
        assertEquals(List.of(), box.all(Entered.class), "not placed again");
        assertEquals(2, router.tags().open());
        assertEquals(1, router.tags().pairs());
    }

    @Test
    void withAnApplicationsFileOpeningNeedsAnApplicationThatMayOpenAndSendingAnyListedOne() {
        router.tags().applications(TWO_APPS);
        var refusedBox = new TestMailbox();
        var refused = connect(refusedBox, "websocket", 6);
        router.tags().open(refused, 1, null, null, Map.of());
        router.tags().open(refused, 2, "application2", "s2", Map.of());
        router.tags().open(refused, 3, "application1", "badpass", Map.of());
        assertEquals(
                List.of(
                        new OpenAnswered(1, false, "an application key and secret are needed (?key=...&secret=...)"),
                        new OpenAnswered(2, false, "this application may not open connections"),
                        new OpenAnswered(3, false, "unknown application key or wrong secret")),
                refusedBox.all(OpenAnswered.class));
        assertTrue(refused.awaitingOpen());
        assertTrue(logged.stream().noneMatch(l -> l.contains("s2") || l.contains("badpass")), "no secret logged");

        var box = new TestMailbox();
        var member = connect(box, "websocket", 6);
        router.tags().open(member, 1, "application1", "s1", Map.of("language", "FR"));
        assertEquals(List.of(new OpenAnswered(1, true, null)), box.all(OpenAnswered.class));
        var senderBox = new TestMailbox();
        var sender = connect(senderBox, "websocket", 6);
        router.tags().open(sender, 1, "application1", "s1", Map.of());
        router.tags().send(sender, 2, "a", Map.of("language", "FR"), null, null);
        router.tags().send(sender, 3, "b", Map.of("language", "FR"), "application2", "nope");
        router.tags().send(sender, 4, "c", Map.of("language", "FR"), "application2", "s2");
        assertEquals(
                List.of(
                        new TaggedSent(2, 0, "metadata.key and metadata.secret of an application are needed"),
                        new TaggedSent(3, 0, "unknown application key or wrong secret"),
                        new TaggedSent(4, 1, null)),
                senderBox.all(TaggedSent.class));
        assertEquals(1, box.all(TaggedLine.class).size());
    }

    @Test
    void tagsBeyondTheLimitsOrAMessageWithoutTagsAreRefused() {
        router.tags().limits(new TagDesk.Limits(2, 4));
        var box = new TestMailbox();
        var member = connect(box, "websocket", 6);
        router.tags().open(member, 1, null, null, Map.of("a", "1", "b", "2", "c", "3"));
        router.tags().open(member, 2, null, null, Map.of("a", "12345"));
        router.tags().open(member, 3, null, null, Map.of("a", "x\u0007"));
        assertEquals(
                List.of(
                        new OpenAnswered(1, false, "3 tags is more than 2"),
                        new OpenAnswered(2, false, "a tag's key or value is longer than 4 bytes"),
                        new OpenAnswered(3, false, "a tag holds control characters")),
                box.all(OpenAnswered.class));
        router.tags().open(member, 4, null, null, Map.of("a", "é"));
        router.tags().send(member, 5, "m", Map.of(), null, null);
        assertEquals(
                new TaggedSent(5, 0, "a tagged message needs tags"),
                box.all(TaggedSent.class).getLast());
        var telnetBox = new TestMailbox();
        var telnet = connect(telnetBox, "telnet", 6);
        router.tags().send(telnet, 1, "m", Map.of("a", "é"), null, null);
        assertEquals(List.of(new TaggedSent(1, 0, "not an open WebSocket client")), telnetBox.all(TaggedSent.class));
        assertEquals(List.of(), box.all(TaggedLine.class));
    }

    @Test
    void anOperatorsMessageIsAnAdminMessageFromLevelSixAndTheOldNoticeBelow() {
        var wsBox = new TestMailbox();
        var ws = open(wsBox, Map.of());
        var oldBox = new TestMailbox();
        var old = connect(oldBox, "telnet", 5);
        oldBox.clear();
        assertTrue(router.notice(ws.clientId(), "hello"));
        assertTrue(router.notice(old.clientId(), "hello"));
        assertEquals(List.of(new AdminMessage("hello")), wsBox.all(AdminMessage.class));
        assertEquals(List.of(new Notice("admin: hello")), oldBox.all(Notice.class));
        assertEquals(2, router.broadcast("all"));
        assertEquals(new AdminMessage("all"), wsBox.all(AdminMessage.class).getLast());
        assertEquals(new Notice("admin: all"), oldBox.all(Notice.class).getLast());
        assertEquals(2, router.desk().roomNotice("lobby", "room"));
        assertEquals(new AdminMessage("room"), wsBox.all(AdminMessage.class).getLast());
        assertEquals(new Notice("admin: room"), oldBox.all(Notice.class).getLast());
    }
}
