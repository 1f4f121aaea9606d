package io.forkcast.worker.front.telnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.WhoEntry;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.OutputCapture;
import io.forkcast.worker.front.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every line a telnet client is shown, byte for byte as the worker wrote it before the front door existed. */
class TelnetFrontDoorTest {
    private static final SupervisorMessage.Limits LIMITS = new SupervisorMessage.Limits(16, 20, 50, 100, 1 << 20);
    private static final Sender ALICE = new Sender("node-a", 7, "alice", 4121);

    private final ClientOutput out = new ClientOutput();
    private final TelnetFrontDoor door = new TelnetFrontDoor(out);

    @Test
    void theBannerNamesThePeerAndThePid() throws IOException {
        door.greet("127.0.0.1:50412", 4122);
        assertEquals("Welcome to forkcast, you are 127.0.0.1:50412 (pid 4122). Type /help for commands.\r\n", taken());
    }

    @Test
    void linesAndActionsOfLevelOne() throws IOException {
        door.render(new SupervisorMessage.Say(7, "alice", 4121, 3, "hello, wörld"), 1);
        door.render(new SupervisorMessage.Act(7, "alice", 4121, 4, "waves"), 1);
        assertEquals("[alice] (4121): hello, wörld\r\n* alice (4121) waves\r\n", taken());
    }

    @Test
    void aDeliveryToEveryoneRendersLikeSayAndAct() throws IOException {
        door.render(new SupervisorMessage.Deliver(new Address.Everyone(), ALICE, 3, Style.SAY, "hello, wörld"), 1);
        door.render(new SupervisorMessage.Deliver(new Address.Everyone(), ALICE, 4, Style.ACT, "waves"), 1);
        assertEquals("[alice] (4121): hello, wörld\r\n* alice (4121) waves\r\n", taken());
    }

    @Test
    void newsOfOthers() throws IOException {
        door.render(new SupervisorMessage.Joined(8, "127.0.0.1:5", 99), 1);
        door.render(new SupervisorMessage.Renamed(8, "127.0.0.1:5", "bob", 99), 1);
        door.render(new SupervisorMessage.Left(8, "bob", 99), 1);
        door.render(new SupervisorMessage.Notice("server restarting"), 1);
        assertEquals("""
                *** 127.0.0.1:5 (99) joined\r
                *** 127.0.0.1:5 (99) is now known as bob\r
                *** bob (99) left\r
                *** server restarting\r
                """, taken());
    }

    @Test
    void answersAboutOurNickname() throws IOException {
        door.render(new SupervisorMessage.NickAccepted(2, "carol"), 1);
        door.render(new SupervisorMessage.NickRefused(3, "alice", "taken"), 1);
        assertEquals("*** you are now known as carol\r\n*** nickname alice refused: taken\r\n", taken());
    }

    @Test
    void theWhoListMarksUsAndShowsANameBesideItsPeer() throws IOException {
        door.render(
                new SupervisorMessage.WhoList(new WhoEntry[] {
                    new WhoEntry(1, "127.0.0.1:1", "127.0.0.1:1", 11), new WhoEntry(2, "bob", "[::1]:2", 22)
                }),
                2);
        door.render(new SupervisorMessage.WhoList(new WhoEntry[] {new WhoEntry(2, "bob", "[::1]:2", 22)}), 2);
        assertEquals("""
                *** 2 people connected:\r
                ***   127.0.0.1:1 pid 11\r
                ***   bob [::1]:2 pid 22 (you)\r
                *** 1 person connected:\r
                ***   bob [::1]:2 pid 22 (you)\r
                """, taken());
    }

    @Test
    void ordersForTheHubSessionShowNothing() throws IOException {
        door.render(new SupervisorMessage.Ack(3), 1);
        door.render(LIMITS, 1);
        door.render(new SupervisorMessage.Welcome(1, LIMITS), 1);
        door.render(new SupervisorMessage.Welcome2(2, 1, "n", LIMITS), 1);
        door.render(new SupervisorMessage.Assign(), 1);
        assertEquals("", taken());
    }

    @Test
    void theWorkersOwnReplies() throws IOException {
        door.reply(new Reply.UnknownCommand("/frob"));
        door.reply(new Reply.Usage("/me ACTION"));
        door.reply(new Reply.Invalid("a nickname cannot contain spaces"));
        door.reply(new Reply.NotConnected());
        door.reply(new Reply.FloodDropped(20));
        door.reply(new Reply.Reconnecting());
        door.reply(new Reply.Reconnected());
        assertEquals("""
                *** unknown command /frob, try /help\r
                *** usage: /me ACTION\r
                *** a nickname cannot contain spaces\r
                *** not connected to the server right now, try again in a moment\r
                *** flood limit: lines dropped (at most 20 lines/s)\r
                *** reconnecting to server...\r
                *** reconnected\r
                """, taken());
    }

    @Test
    void everyKindOfReplyRendersALine() throws Exception {
        for (var kind : Reply.class.getPermittedSubclasses()) {
            var components = kind.getRecordComponents();
            var types = new Class<?>[components.length];
            var values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = types[i] == int.class ? (Object) 1 : "x";
            }
            door.reply((Reply) kind.getDeclaredConstructor(types).newInstance(values));
            assertTrue(taken().startsWith("*** "), kind.getSimpleName());
        }
    }

    @Test
    void help() throws IOException {
        door.reply(new Reply.Help());
        assertEquals("""
                *** commands:\r
                ***   /join ROOM      go to a room (made if it does not exist); /part goes back to the lobby\r
                ***   /rooms          every room, with how many are in it and its topic\r
                ***   /who            who is in your room; /who * lists everyone, with their rooms\r
                ***   /topic [TEXT]   show or set the topic of your room\r
                ***   /msg NICK TEXT  a private message; /reply TEXT answers the last one you got\r
                ***   /nick NAME      take a nickname (1-32 characters, no spaces)\r
                ***   /login USER     log in (the password is asked next, not shown)\r
                ***   /history [N]    the last lines said in your room\r
                ***   /me ACTION      say what you are doing\r
                ***   /help           this list\r
                ***   /quit           leave\r
                *** anything else you type goes to your room; start a line with // to send one beginning with /\r
                """, taken());
    }

    @Test
    void roomsAndPrivateMessages() throws IOException {
        var bob = new Present(new Sender("node-a", 8, "bob", 99), "127.0.0.1:6", null);
        var me = new Present(new Sender("node-a", 1, "127.0.0.1:5", 98), "127.0.0.1:5", null);
        door.render(new SupervisorMessage.Entered(0, "lobby", null), 1);
        door.render(new SupervisorMessage.Entered(3, "Dev", null), 1);
        door.render(new SupervisorMessage.PeopleList("Dev", 2, 0, List.of(bob, me)), 1);
        door.render(new SupervisorMessage.Entered(4, "help", "ask here"), 1);
        door.render(new SupervisorMessage.PeopleList("help", 1, 0, List.of(me)), 1);
        door.render(new SupervisorMessage.RoomJoined(ALICE, "Dev"), 1);
        door.render(new SupervisorMessage.RoomLeft(ALICE, "Dev", "lobby"), 1);
        door.render(new SupervisorMessage.RoomLeft(ALICE, "Dev", null), 1);
        door.render(new SupervisorMessage.TopicChanged(ALICE, "Dev", "ship it"), 1);
        door.render(new SupervisorMessage.Deliver(new Address.Client("node-a", 1), ALICE, 5, Style.SAY, "psst"), 1);
        door.render(new SupervisorMessage.PrivateSent(6, "Alice", "hi"), 1);
        assertEquals("""
                *** you are in #lobby\r
                *** you are now in #Dev\r
                *** #Dev has no topic\r
                *** 2 people in #Dev:\r
                ***   bob 127.0.0.1:6 pid 99\r
                ***   127.0.0.1:5 pid 98 (you)\r
                *** you are now in #help\r
                *** topic of #help: ask here\r
                *** 1 person in #help:\r
                ***   127.0.0.1:5 pid 98 (you)\r
                *** alice (4121) joined #Dev\r
                *** alice (4121) left for #lobby\r
                *** alice (4121) left #Dev\r
                *** alice (4121) set the topic of #Dev: ship it\r
                [alice] (4121) privately: psst\r
                *** to Alice: hi\r
                """, taken());
    }

    @Test
    void whoOfEveryoneNamesRoomsAndTheRoomListCountsAndShowsTopics() throws IOException {
        var bob = new Present(new Sender("node-a", 8, "bob", 99), "127.0.0.1:6", "Dev");
        door.render(new SupervisorMessage.PeopleList(null, 1, 0, List.of(bob)), 8);
        door.render(
                new SupervisorMessage.RoomList(
                        2, 0, List.of(new RoomEntry("lobby", 1, null), new RoomEntry("Dev", 2, "ship it"))),
                8);
        assertEquals("""
                *** 1 person connected:\r
                ***   bob 127.0.0.1:6 pid 99 in #Dev (you)\r
                *** 2 rooms:\r
                ***   #lobby (1 person)\r
                ***   #Dev (2 people): ship it\r
                """, taken());
    }

    @Test
    void inAFederationSomeoneOfAnotherNodeIsShownWithItsNodeAndNeverAsYou() throws IOException {
        door.node("a");
        var me = new Present(new Sender("a", 8, "alice", 98), "127.0.0.1:5", "lobby");
        var bob = new Present(new Sender("b", 8, "bob", 99), "10.0.0.2:6", "Dev");
        door.render(new SupervisorMessage.PeopleList(null, 2, 0, List.of(me, bob)), 8);
        door.render(
                new SupervisorMessage.PeopleList(
                        "lobby",
                        2,
                        0,
                        List.of(new Present(me.who(), me.peer(), null), new Present(bob.who(), bob.peer(), null))),
                8);
        assertEquals("""
                *** 2 people connected:\r
                ***   alice 127.0.0.1:5 pid 98 in #lobby (you)\r
                ***   bob 10.0.0.2:6 pid 99 in #Dev on node b\r
                *** 2 people in #lobby:\r
                ***   alice 127.0.0.1:5 pid 98 (you)\r
                ***   bob 10.0.0.2:6 pid 99\r
                """, taken());
    }

    @Test
    void goodbyeShowsItsNoticeIfAny() throws IOException {
        door.goodbye(null);
        door.goodbye("bye");
        door.goodbye("server went away");
        assertEquals("*** bye\r\n*** server went away\r\n", taken());
    }

    @Test
    void typedLinesBecomeIntentsAndTelnetIsAnsweredInOrder() throws IOException {
        door.limits(LIMITS);
        var intents = new ArrayList<Intent>();
        byte[] willNaws = {(byte) 255, (byte) 251, 31};
        feed(intents, "hi\r\n", willNaws, "/ME waves\r\n\r\n/nick\r\n");
        assertEquals(
                List.of(
                        new Intent.Say("hi"),
                        new Intent.Act("waves"),
                        Intent.BLANK,
                        new Intent.Invalid("a nickname needs 1 to 32 characters")),
                intents);
        assertEquals(
                new String(new byte[] {(byte) 255, (byte) 254, 31}, StandardCharsets.ISO_8859_1),
                new String(takenBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void anOverlongLineIsAnInvalidIntentNamingTheLimitAndTheNextOneIsServed() throws IOException {
        door.limits(LIMITS);
        var intents = new ArrayList<Intent>();
        feed(intents, "x".repeat(17) + "\r\nshort\r\n");
        // An intent, not a notice written at once: the flood limit counts it before the loop answers it.
        assertEquals(List.of(new Intent.Invalid("line too long (max 16 bytes)"), new Intent.Say("short")), intents);
        assertEquals("", taken());
        door.reply(new Reply.Invalid("line too long (max 16 bytes)"));
        assertEquals("*** line too long (max 16 bytes)\r\n", taken());
        door.limits(new SupervisorMessage.Limits(32, 20, 50, 100, 1 << 20));
        feed(intents, "x".repeat(17) + "\r\n");
        assertEquals(new Intent.Say("x".repeat(17)), intents.getLast());
    }

    @Test
    void aListInPartsHasOneHeadingWithTheTotal() throws IOException {
        var bob = new Present(new Sender("node-a", 8, "bob", 99), "127.0.0.1:6", null);
        var ann = new Present(new Sender("node-a", 9, "ann", 98), "127.0.0.1:7", null);
        door.render(new SupervisorMessage.PeopleList("lobby", 2, 0, List.of(bob)), 1);
        door.render(new SupervisorMessage.PeopleList("lobby", 2, 1, List.of(ann)), 1);
        door.render(new SupervisorMessage.RoomList(2, 0, List.of(new RoomEntry("lobby", 2, null))), 1);
        door.render(new SupervisorMessage.RoomList(2, 1, List.of(new RoomEntry("dev", 0, null))), 1);
        assertEquals("""
                *** 2 people in #lobby:\r
                ***   bob 127.0.0.1:6 pid 99\r
                ***   ann 127.0.0.1:7 pid 98\r
                *** 2 rooms:\r
                ***   #lobby (2 people)\r
                ***   #dev (0 people)\r
                """, taken());
    }

    @Test
    void thePasswordPromptTurnsTheEchoOffAndTheLineAfterItGivesItBack() throws IOException {
        door.limits(LIMITS);
        door.prompt(FrontDoor.Prompt.USER);
        assertEquals("login: ", taken());
        var intents = new ArrayList<Intent>();
        feed(intents, " alice \r\n");
        assertEquals(List.of(new Intent.LoginName("alice")), intents);
        door.prompt(FrontDoor.Prompt.PASSWORD);
        assertEquals("password: \u00ff\u00fb\u0001", latin1(takenBytes()));
        // The client agrees (IAC DO ECHO), which is not answered; then the password, shown to nobody.
        feed(intents, new byte[] {(byte) 255, (byte) 253, 1}, "/quit and more\r\n");
        assertEquals(new Intent.Password("/quit and more"), intents.getLast());
        assertEquals("\u00ff\u00fc\u0001\r\n", latin1(takenBytes()));
        feed(intents, "/quit\r\n");
        assertEquals(new Intent.Quit(), intents.getLast(), "the prompt answered, lines are commands again");
    }

    @Test
    void aClientThatRefusesToStopEchoingStillGetsItsEchoBackAfterThePassword() throws IOException {
        door.limits(LIMITS);
        door.prompt(FrontDoor.Prompt.PASSWORD);
        takenBytes();
        var intents = new ArrayList<Intent>();
        feed(intents, new byte[] {(byte) 255, (byte) 254, 1}, "pw\r\n");
        assertEquals(List.of(new Intent.Password("pw")), intents);
        assertEquals("\u00ff\u00fc\u0001\r\n", latin1(takenBytes()));
    }

    @Test
    void historyAndAwayLinesShowTheirTimeAHeadingAndAnEnd() throws IOException {
        long now = System.currentTimeMillis();
        String hhmm = java.time.format.DateTimeFormatter.ofPattern("HH:mm")
                .format(java.time.Instant.ofEpochMilli(now).atZone(java.time.ZoneId.systemDefault()));
        var old = java.time.LocalDate.of(2026, 1, 31).atTime(9, 5).atZone(java.time.ZoneId.systemDefault());
        door.render(
                new SupervisorMessage.HistoryLines(
                        "dev",
                        2,
                        0,
                        List.of(
                                new PastLine(old.toInstant().toEpochMilli(), "bob", Style.SAY, "old news"),
                                new PastLine(now, "ann", Style.ACT, "waves"))),
                1);
        door.render(new SupervisorMessage.HistoryLines("dev", 0, 0, List.of()), 1);
        door.render(new SupervisorMessage.AwayLines(1, 0, List.of(new PastLine(now, "bob", Style.SAY, "call me"))), 1);
        door.render(new SupervisorMessage.PrivateStored(5, "alice"), 1);
        assertEquals(
                "--- last 2 lines of #dev ---\r\n"
                        + "2026-01-31 09:05 [bob]: old news\r\n"
                        + hhmm + " * ann waves\r\n"
                        + "--- end of history ---\r\n"
                        + "*** no history in #dev\r\n"
                        + "--- 1 message while you were away ---\r\n"
                        + hhmm + " [bob] privately: call me\r\n"
                        + "--- end of messages ---\r\n"
                        + "*** alice is away; the message will be delivered when they log in\r\n",
                taken());
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private void feed(List<Intent> intents, Object... parts) {
        for (Object part : parts) {
            byte[] bytes = part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part;
            door.feed(ByteBuffer.wrap(bytes), intents::add);
        }
    }

    private String taken() throws IOException {
        return new String(takenBytes(), StandardCharsets.UTF_8);
    }

    /** What the output holds, through its real flush. */
    private byte[] takenBytes() throws IOException {
        return OutputCapture.take(out);
    }

    @Test
    void anAdminMessageShowsAsTheNoticeItReplaces() throws IOException {
        door.render(new SupervisorMessage.AdminMessage("maintenance at 5"), 1);
        door.render(new SupervisorMessage.Notice("admin: maintenance at 5"), 1);
        assertEquals("*** admin: maintenance at 5\r\n*** admin: maintenance at 5\r\n", taken());
    }
}
