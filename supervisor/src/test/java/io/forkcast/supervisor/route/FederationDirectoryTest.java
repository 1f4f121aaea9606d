package io.forkcast.supervisor.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PeopleList;
import io.forkcast.protocol.message.SupervisorMessage.RoomList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The directory across nodes: /who, /who *, /rooms and nicknames asked of the other nodes, and the answers given. */
class FederationDirectoryTest {
    private static final Limits LIMITS = new Limits(4096, 20, 50, 100, 1 << 20);

    /** The other nodes, recorded: each question and where its answer goes. */
    private static final class OtherNodes implements Federation {
        final List<Ask.Question> questions = new ArrayList<>();
        final List<Consumer<Ask.Gathered>> thens = new ArrayList<>();
        final List<RoomEvent> published = new ArrayList<>();
        Census census;

        @Override
        public void publish(RoomEvent event) {
            published.add(event);
        }

        @Override
        public void subscribe(String key) {}

        @Override
        public void unsubscribe(String key) {}

        @Override
        public void privately(PrivateLine line, Consumer<String> answer) {}

        @Override
        public void attach(RemoteDesk desk) {}

        @Override
        public void ask(Ask.Question question, Consumer<Ask.Gathered> then) {
            questions.add(question);
            thens.add(then);
        }

        @Override
        public void attach(Census census) {
            this.census = census;
        }

        /** The last question is answered: {@code answers} by node, {@code silent} not in time. */
        void answer(Map<String, Ask.Answer> answers, String... silent) {
            thens.getLast().accept(new Ask.Gathered(new TreeMap<>(answers), List.of(silent)));
        }
    }

    private final OtherNodes others = new OtherNodes();
    private final List<String> logged = new ArrayList<>();
    private final Frames frames = new Frames(65536, EventLog.of("role=test"));
    private final RoomBook rooms = new RoomBook("lobby", List.of(), 10);
    private final Router router = new Router(
            "a",
            frames,
            new Delivery(System.nanoTime() - 1, 1 << 20),
            rooms,
            LIMITS,
            List.of(),
            Accounts.NONE,
            Archive.NONE,
            Router.History.OFF,
            BrokerQueue.NONE,
            BrokerDesk.Settings.DEFAULT,
            logged::add);

    {
        rooms.federate(others, frames, router.directory());
        others.attach(router.census());
    }

    private static ClientRef ref(long id) {
        return new ClientRef("a", id, "127.0.0.1:" + (5000 + id), 100 + id, 3, "telnet");
    }

    private static Present remote(String node, long id, String name, String room) {
        return new Present(new Sender(node, id, name, 900 + id), "10.0.0.9:" + (6000 + id), room);
    }

    @Test
    void whoEverywhereListsThisNodesPeopleThenTheOthersAndNamesANodeThatDidNotAnswer() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        router.nick(alice, 1, "alice");
        others.answer(Map.of()); // the nickname: nobody else has it
        mailbox.clear();

        router.desk().people(alice, true);
        assertEquals(new Ask.People(null), others.questions.getLast());
        assertEquals(List.of(), mailbox.received, "nothing is shown before the others answer");
        var bob = remote("b", 1, "bob", "lobby");
        others.answer(Map.of("b", new Ask.PeopleAnswer(List.of(bob))), "c");
        var me = new Present(new Sender("a", 1, "alice", 101), "127.0.0.1:5001", "lobby");
        assertEquals(
                List.of(new PeopleList(null, 2, 0, List.of(me, bob)), new Notice("node c did not answer")),
                mailbox.received);
    }

    @Test
    void whoOfARoomAsksForThatRoomByKey() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        router.desk().enter(alice, 1, "Side");
        mailbox.clear();
        router.desk().people(alice, false);
        assertEquals(new Ask.People("side"), others.questions.getLast());
        var carol = remote("c", 4, "carol", null);
        others.answer(Map.of("c", new Ask.PeopleAnswer(List.of(carol))));
        var me = new Present(new Sender("a", 1, "127.0.0.1:5001", 101), "127.0.0.1:5001", null);
        assertEquals(List.of(new PeopleList("Side", 2, 0, List.of(me, carol))), mailbox.received);
    }

    @Test
    void roomsCountTheMembersOfEveryNodeAndListRoomsOnlyOthersHave() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        mailbox.clear();
        router.desk().roomList(alice);
        assertEquals(new Ask.Rooms(), others.questions.getLast());
        others.answer(
                Map.of(
                        "b",
                                new Ask.RoomsAnswer(
                                        List.of(new RoomEntry("lobby", 2, null), new RoomEntry("far", 1, "x"))),
                        "c", new Ask.RoomsAnswer(List.of(new RoomEntry("Lobby", 1, "hello")))),
                "d",
                "e");
        assertEquals(
                List.of(
                        new RoomList(2, 0, List.of(new RoomEntry("lobby", 4, "hello"), new RoomEntry("far", 1, "x"))),
                        new Notice("nodes d, e did not answer")),
                mailbox.received);
    }

    @Test
    void aNicknameHeldOnAnotherNodeIsRefusedAsALocalOneIs() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        var dave = router.join(ref(2), new TestMailbox());
        router.nick(dave, 1, "dave");
        others.answer(Map.of());
        mailbox.clear();

        assertEquals(Router.Outcome.REFUSED, router.nick(alice, 1, "Dave"), "a local holder: refused at once");
        var local = mailbox.received.getLast();
        mailbox.clear();
        assertEquals(Router.Outcome.ASKED, router.nick(alice, 2, "bob"));
        assertEquals(new Ask.Nick("bob"), others.questions.getLast());
        others.answer(Map.of("b", new Ask.NickAnswer(true), "c", new Ask.NickAnswer(false)));
        assertEquals(List.of(new NickRefused(2, "bob", "it is taken")), mailbox.received);
        assertEquals(new NickRefused(1, "Dave", "it is taken"), local, "the same reason as a local collision");
        assertEquals("127.0.0.1:5001", alice.name());
        assertTrue(logged.getLast().startsWith("event=nick_refused client=1 nick=bob held_on=b"), logged.getLast());
    }

    @Test
    void aFreeNicknameIsGivenAndAnnouncedAndASilentNodeIsLogged() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        router.endOfTurn();
        others.published.clear();
        mailbox.clear();
        router.nick(alice, 1, "alice");
        assertEquals(List.of(), mailbox.received, "not given before the others answer");
        others.answer(Map.of("b", new Ask.NickAnswer(false)), "c");
        router.endOfTurn();
        assertEquals(new NickAccepted(1, "alice"), mailbox.received.getFirst());
        assertEquals("alice", alice.name());
        assertEquals(
                List.of(new RoomEvent.Renamed("lobby", new Sender("a", 1, "alice", 101), "127.0.0.1:5001")),
                others.published);
        assertTrue(
                logged.stream()
                        .anyMatch(l -> l.startsWith("event=federation_nick_unchecked client=1 nick=alice silent=c")),
                logged.toString());
    }

    @Test
    void aNicknameBeingAskedAboutIsTakenForAnyoneElseHereAndForALaterRankedNode() {
        var alice = router.join(ref(1), new TestMailbox());
        var mailbox = new TestMailbox();
        var bob = router.join(ref(2), mailbox);
        router.nick(alice, 1, "zed");
        var census = others.census;
        assertTrue(census.held("ZED", "b"), "node a sorts before b: a keeps it, b is told it is held");
        assertFalse(census.held("zed", "0"), "node 0 sorts before a: 0 gets it, a is told it is free");
        mailbox.clear();
        assertEquals(Router.Outcome.REFUSED, router.nick(bob, 1, "zed"));
        assertEquals(List.of(new NickRefused(1, "zed", "it is taken")), mailbox.received);

        others.thens
                .getFirst()
                .accept(new Ask.Gathered(new TreeMap<>(Map.of("0", new Ask.NickAnswer(true))), List.of()));
        assertFalse(census.held("zed", "b"), "refused: the reservation is gone");
        assertEquals("127.0.0.1:5001", alice.name());
    }

    @Test
    void aNicknameAnotherNodeWasJustToldIsFreeIsTakenHereUntilThatNodeHadItsAnswers() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        assertEquals(new Ask.NickAnswer(false), router.census().answer(new Ask.Nick("yan"), "b"));
        mailbox.clear();
        assertEquals(Router.Outcome.REFUSED, router.nick(alice, 1, "Yan"), "b may be giving it right now");
        assertEquals(List.of(new NickRefused(1, "Yan", "it is taken")), mailbox.received);
        assertEquals(Router.Outcome.ASKED, router.nick(alice, 2, "other"), "any other nickname is asked about");
    }

    @Test
    void theCensusAnswersWhoIsHereTheRoomsANicknameAndTheAdminLines() {
        var alice = router.join(ref(1), new TestMailbox());
        router.nick(alice, 1, "alice");
        others.answer(Map.of());
        var census = router.census();
        census.clientLines(() -> List.of("1 127.0.0.1:5001 pid=101 node=a"));
        var me = new Present(new Sender("a", 1, "alice", 101), "127.0.0.1:5001", "lobby");
        assertEquals(new Ask.PeopleAnswer(List.of(me)), census.answer(new Ask.People(null), "b"));
        assertEquals(
                new Ask.PeopleAnswer(List.of(new Present(me.who(), me.peer(), null))),
                census.answer(new Ask.People("lobby"), "b"));
        assertEquals(new Ask.PeopleAnswer(List.of()), census.answer(new Ask.People("nowhere"), "b"));
        assertEquals(
                new Ask.RoomsAnswer(List.of(new RoomEntry("lobby", 1, null))), census.answer(new Ask.Rooms(), "b"));
        assertEquals(new Ask.NickAnswer(true), census.answer(new Ask.Nick("ALICE"), "b"));
        assertEquals(new Ask.NickAnswer(false), census.answer(new Ask.Nick("bob"), "b"));
        assertEquals(
                new Ask.ClientsAnswer(List.of("1 127.0.0.1:5001 pid=101 node=a")),
                census.answer(new Ask.Clients(), "b"));
    }

    @Test
    void anAnswerForSomeoneWhoLeftMeanwhileGoesNowhere() {
        var mailbox = new TestMailbox();
        var alice = router.join(ref(1), mailbox);
        router.desk().people(alice, true);
        router.left(alice);
        mailbox.clear();
        others.answer(Map.of(), "b");
        assertEquals(List.of(), mailbox.received);
    }
}
