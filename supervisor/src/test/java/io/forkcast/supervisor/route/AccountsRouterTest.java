package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.AwayLines;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.HistoryLines;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginNeeded;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.PrivateStored;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The routing domain with accounts and a store: logging in (required and optional), registered names, lines kept
 * for users who are away, room history. The accounts and the archive here are in memory and answer at once, or when
 * a test releases them, as the real ones answer later on the loop thread.
 */
class AccountsRouterTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    /** Users and passwords; verdicts wait in {@link #pending} until {@link #release}. */
    private static final class MemoryAccounts implements Accounts {
        Mode mode;
        final Map<String, String> passwords = new HashMap<>();
        final List<Runnable> pending = new ArrayList<>();

        MemoryAccounts(Mode mode) {
            this.mode = mode;
            passwords.put("alice", "wonderland");
            passwords.put("Bob", "builder");
        }

        @Override
        public Mode mode() {
            return mode;
        }

        @Override
        public String canonical(String name) {
            for (String user : passwords.keySet()) {
                if (user.equalsIgnoreCase(name)) {
                    return user;
                }
            }
            return null;
        }

        @Override
        public void verify(String user, String password, String peer, Consumer<Verdict> then) {
            String canonical = canonical(user);
            var verdict = canonical != null && passwords.get(canonical).equals(password) ? Verdict.OK : Verdict.REFUSED;
            pending.add(() -> then.accept(verdict));
        }

        void release() {
            var now = List.copyOf(pending);
            pending.clear();
            now.forEach(Runnable::run);
        }
    }

    /** Lines by room and private lines by user, kept in memory. */
    private static final class MemoryArchive implements Archive {
        final Map<String, List<PastLine>> rooms = new HashMap<>();
        final Map<String, List<PastLine>> away = new HashMap<>();
        boolean down;
        /** The queue is full: lines are refused. */
        boolean full;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean keepLine(String roomKey, Member from, PastLine line) {
            if (full) {
                return false;
            }
            rooms.computeIfAbsent(roomKey, k -> new ArrayList<>()).add(line);
            return true;
        }

        @Override
        public void lastLines(String roomKey, int limit, Consumer<List<PastLine>> then) {
            if (down) {
                then.accept(null);
                return;
            }
            var lines = rooms.getOrDefault(roomKey, List.of());
            then.accept(List.copyOf(lines.subList(Math.max(0, lines.size() - limit), lines.size())));
        }

        @Override
        public void keepPrivate(String userKey, Member from, PastLine line, int max, Consumer<Kept> then) {
            var lines = away.computeIfAbsent(userKey, k -> new ArrayList<>());
            if (lines.size() >= max) {
                then.accept(Kept.FULL);
                return;
            }
            lines.add(line);
            then.accept(Kept.STORED);
        }

        @Override
        public void awayLines(String userKey, Consumer<Away> then) {
            var lines = away.getOrDefault(userKey, List.of());
            var ids = new ArrayList<Long>();
            for (int i = 0; i < lines.size(); i++) {
                ids.add((long) i);
            }
            then.accept(new Away(List.copyOf(lines), ids));
            away.remove(userKey);
        }

        @Override
        public void forget(List<Long> ids) {}
    }

    private final MemoryAccounts accounts = new MemoryAccounts(Accounts.Mode.OPTIONAL);
    private final MemoryArchive archive = new MemoryArchive();
    private final List<String> logged = new ArrayList<>();

    private Router router() {
        return new Router(
                "node-a",
                new Frames(65536, EventLog.of("role=test")),
                new Delivery(System.nanoTime() - 1, 1 << 20),
                new RoomBook("lobby", List.of(), 10),
                LIMITS,
                List.of(),
                accounts,
                archive,
                new Router.History(3, 10, 2, 60_000_000_000L),
                BrokerQueue.NONE,
                BrokerDesk.Settings.DEFAULT,
                logged::add);
    }

    private static ClientRef ref(long id) {
        return new ClientRef("node-a", id, "127.0.0.1:" + (5000 + id), 100 + id, 4, "telnet");
    }

    private static <T extends SupervisorMessage> List<T> of(TestMailbox box, Class<T> type) {
        var found = new ArrayList<T>();
        for (var m : box.received) {
            if (type.isInstance(m)) {
                found.add(type.cast(m));
            }
        }
        return found;
    }

    @Test
    void whenALoginIsRequiredANewcomerIsInNoRoomUntilItLogsInThenArrivesWithItsUserName() {
        accounts.mode = Accounts.Mode.REQUIRED;
        var router = router();
        var watcher = new TestMailbox();
        var alice = new TestMailbox();
        router.join(ref(1), watcher);
        // Everyone must log in: the watcher first.
        router.login().login(router.directory().byId(1), 1, "bob", "builder");
        accounts.release();
        var member = router.join(ref(2), alice);
        assertEquals(new LoginNeeded(3), alice.received.getLast());
        assertNull(member.room());
        assertTrue(of(watcher, Joined.class).stream().noneMatch(j -> j.id() == 2), "not announced yet");

        router.said(member, 1, "sneaky");
        assertEquals(new Notice("please log in first"), alice.received.getLast());

        router.login().login(member, 2, "ALICE", "wonderland");
        assertTrue(alice.received.getLast() instanceof Notice, "the verdict is not in yet");
        accounts.release();
        assertEquals("alice", member.name());
        assertEquals("alice", member.user());
        assertEquals("lobby", member.room().name());
        assertTrue(alice.received.contains(new LoggedIn(2, "alice")));
        assertTrue(alice.received.contains(new Entered(0, "lobby", null)));
        assertEquals(new Joined(2, "alice", 102), of(watcher, Joined.class).getLast());
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("event=login user=alice")), logged.toString());
    }

    @Test
    void threeFailedLoginsDisconnectAndEachFailureAsksAgain() {
        accounts.mode = Accounts.Mode.REQUIRED;
        var router = router();
        var box = new TestMailbox();
        var member = router.join(ref(1), box);
        router.login().login(member, 1, "alice", "wrong");
        accounts.release();
        assertEquals(List.of(new LoginRefused(1, "alice", "login incorrect"), new LoginNeeded(2)), tail(box, 2));
        router.login().login(member, 2, "nobody", "x");
        accounts.release();
        assertEquals(List.of(new LoginRefused(2, "nobody", "login incorrect"), new LoginNeeded(1)), tail(box, 2));
        router.login().login(member, 3, "alice", "also wrong");
        accounts.release();
        assertEquals(
                List.of(new LoginRefused(3, "alice", "login incorrect"), new Disconnect("too many failed logins")),
                tail(box, 2));
        assertEquals(3, router.login().loginsFailed());
        assertFalse(member.receiving());
    }

    @Test
    void aGuestWhoLogsInIsRenamedInItsRoomAndTwoSessionsOfOneUserBothGetItsPrivateLines() {
        var router = router();
        var one = new TestMailbox();
        var two = new TestMailbox();
        var carol = new TestMailbox();
        var first = router.join(ref(1), one);
        var second = router.join(ref(2), two);
        var sender = router.join(ref(3), carol);
        router.login().login(first, 1, "alice", "wonderland");
        router.login().login(second, 1, "alice", "wonderland");
        accounts.release();
        assertTrue(carol.received.contains(new Renamed(1, "127.0.0.1:5001", "alice", 101)));
        assertEquals("alice", second.name(), "a second login of the same user is allowed");

        router.privately(sender, 1, "Alice", null, "hi both");
        assertEquals("hi both", of(one, Deliver.class).getLast().text());
        assertEquals("hi both", of(two, Deliver.class).getLast().text());
        assertEquals(new PrivateSent(1, "alice", "hi both"), carol.received.getLast());
    }

    @Test
    void aGuestCannotTakeARegisteredNameAndAUserCannotChangeItsName() {
        var router = router();
        var box = new TestMailbox();
        var guest = router.join(ref(1), box);
        router.nick(guest, 1, "BOB");
        assertInstanceOf(NickRefused.class, box.received.getLast());
        router.login().login(guest, 2, "bob", "builder");
        accounts.release();
        router.nick(guest, 3, "robert");
        assertEquals(
                new NickRefused(3, "robert", "you are logged in as Bob, which is your name"), box.received.getLast());
    }

    @Test
    void aPrivateLineForAnAbsentUserIsKeptAndDeliveredAtItsNextLoginAndTheCapIsTold() {
        var router = router();
        var carolBox = new TestMailbox();
        var carol = router.join(ref(1), carolBox);
        router.privately(carol, 1, "alice", null, "call me");
        assertEquals(new PrivateStored(1, "alice"), carolBox.received.getLast());
        router.privately(carol, 2, "alice", null, "please");
        router.privately(carol, 3, "alice", null, "third");
        assertEquals(
                new Notice("alice has too many messages waiting (2); yours was not kept"), carolBox.received.getLast());
        router.privately(carol, 4, "nobody", null, "hello?");
        assertEquals(new Notice("no such nick: nobody"), carolBox.received.getLast());

        var aliceBox = new TestMailbox();
        var alice = router.join(ref(2), aliceBox);
        router.login().login(alice, 1, "alice", "wonderland");
        accounts.release();
        var away = of(aliceBox, AwayLines.class);
        assertEquals(1, away.size());
        assertEquals(2, away.getFirst().total());
        assertEquals(
                List.of("call me", "please"),
                away.getFirst().lines().stream().map(PastLine::text).toList());
        assertEquals("127.0.0.1:5001", away.getFirst().lines().getFirst().name());
        assertTrue(archive.away.isEmpty(), "delivered once, then forgotten");
    }

    @Test
    void enteringARoomShowsItsLastLinesOldestFirstAndHistoryAsksForMore() {
        var router = router();
        var talker = router.join(ref(1), new TestMailbox());
        for (int i = 1; i <= 5; i++) {
            router.said(talker, i, "line " + i);
        }
        router.acted(talker, 6, "waves");
        var box = new TestMailbox();
        var late = router.join(ref(2), box);
        var history = of(box, HistoryLines.class);
        assertEquals(1, history.size());
        assertEquals(
                List.of("line 4", "line 5", "waves"),
                history.getFirst().lines().stream().map(PastLine::text).toList());
        assertEquals(Style.ACT, history.getFirst().lines().getLast().style());
        assertEquals(6, archive.rooms.get("lobby").size());

        router.historyDesk().history(late, 5);
        var more = of(box, HistoryLines.class).getLast();
        assertEquals(5, more.total());
        assertEquals("line 2", more.lines().getFirst().text());
        router.historyDesk().history(late, 500);
        assertEquals(6, of(box, HistoryLines.class).getLast().total(), "capped to history_max, and to what there is");
    }

    @Test
    void aRoomWhoseHistoryCannotBeReadSaysSoAndLiveChatGoesOn() {
        archive.down = true;
        var router = router();
        var talker = router.join(ref(1), new TestMailbox());
        var box = new TestMailbox();
        var listener = router.join(ref(2), box);
        assertTrue(box.received.contains(new Notice("the history of #lobby is unavailable right now")));
        router.said(talker, 1, "still here");
        assertEquals("still here", of(box, Deliver.class).getLast().text());
        router.historyDesk().history(listener, 3);
        assertEquals(new Notice("the history of #lobby is unavailable right now"), box.received.getLast());
    }

    @Test
    void aSenderWhoseLinesTheStoreCannotTakeIsToldOnceAndItsRoomStillGetsThem() {
        var router = router();
        var box = new TestMailbox();
        var sender = router.join(ref(1), box);
        var listener = new TestMailbox();
        router.join(ref(2), listener);
        archive.full = true;
        router.said(sender, 1, "one");
        archive.full = false;
        router.said(sender, 2, "two");
        archive.full = true;
        router.said(sender, 3, "three");
        var notices = of(box, Notice.class).stream()
                .filter(n -> n.text().startsWith("the store is not keeping up"))
                .count();
        assertEquals(1, notices, box.received.toString());
        assertEquals(
                List.of("one", "two", "three"),
                of(listener, Deliver.class).stream().map(Deliver::text).toList());
        assertEquals(2, router.historyDesk().notKept());
    }

    @Test
    void aUserRemovedFromTheUsersFileIsDisconnected() {
        var router = router();
        var box = new TestMailbox();
        var alice = router.join(ref(1), box);
        router.login().login(alice, 1, "alice", "wonderland");
        accounts.release();
        accounts.passwords.remove("alice");
        router.login().accounts(accounts);
        assertEquals(new Disconnect("your account was removed"), box.received.getLast());
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("event=account_removed user=alice")));
    }

    @Test
    void aResumedWorkerStaysLoggedInWhileItsUserExists() {
        var router = router();
        var box = new TestMailbox();
        var back = router.resume(ref(4), "alice", List.of(), "alice", box);
        assertEquals("alice", back.user());
        assertEquals(List.of(back), router.directory().sessions("ALICE"));
        router.left(back);
        assertNull(router.directory().byNick("alice"), "no trace of the session once it left");
        var gone = new TestMailbox();
        var stranger = router.resume(ref(5), "zed", List.of(), "Zed", gone);
        assertNull(stranger.user());
        assertTrue(gone.received.contains(new Notice("your account Zed is gone; you are a guest now")));
        assertEquals("zed", stranger.name().toLowerCase(Locale.ROOT));
    }

    private static List<Message> tail(TestMailbox box, int n) {
        return box.received.subList(box.received.size() - n, box.received.size());
    }
}
