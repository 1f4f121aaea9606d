package io.forkcast.worker.front.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.RoomNames;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.OutputCapture;
import io.forkcast.worker.front.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A broker client's bytes in, its JSON lines out: every request, every error, every order a program is shown. */
class BrokerFrontDoorTest {
    private static final SupervisorMessage.Limits LIMITS = new SupervisorMessage.Limits(128, 20, 50, 100, 1 << 20);
    private static final Sender ALICE = new Sender("node-a", 7, "alice", 4121);

    private final ClientOutput out = new ClientOutput();
    private final BrokerFrontDoor door = new BrokerFrontDoor(out, 16);
    private final List<Intent> intents = new ArrayList<>();

    @BeforeEach
    void admitted() {
        door.limits(LIMITS);
    }

    @Test
    void aLoginLineBecomesALoginWithItsRoleAndChannel() {
        feed(
                "{\"command\":\"login\",\"username\":\"u\",\"password\":\"p\",\"role\":\"receiver\",\"channel\":\"#sms\"}\n");
        assertEquals(List.of(new Intent.BrokerLogin("u", "p", "receiver", "sms")), intents);
        assertEquals(
                "BrokerLogin[user=u, password=hidden, role=receiver, channel=sms]",
                intents.get(0).toString());
    }

    @Test
    void aSenderMayLogInWithoutAChannel() {
        feed("{\"command\":\"login\",\"username\":\"u\",\"password\":\"\",\"role\":\"sender\"}\n");
        assertEquals(List.of(new Intent.BrokerLogin("u", "", "sender", null)), intents);
    }

    @Test
    void linesSplitAcrossReadsAndEndedByCrLfOrLf() {
        feed("{\"command\":", "\"ping\"}\r", "\n{\"comm", "and\":\"logout\"}\n");
        assertEquals(List.of(new Intent.BrokerPing(), new Intent.BrokerLogout()), intents);
        feed("{\"command\":\"ping\"}\r\n{\"command\":\"ping\"}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(4, intents.size());
    }

    @Test
    void aLineSplitInsideAMultiByteCharacterIsWhole() {
        byte[] line = "{\"command\":\"send\",\"data\":\"\u00e9\"}\n".getBytes(StandardCharsets.UTF_8);
        int cut = 27; // between the two bytes of é
        feed(Arrays.copyOfRange(line, 0, cut), Arrays.copyOfRange(line, cut, line.length));
        assertEquals(List.of(new Intent.BrokerSend(null, "\"\u00e9\"")), intents);
    }

    @Test
    void sendKeepsItsDataAsCompactJsonAndItsChannelWithoutHash() {
        feed("{\"command\":\"send\",\"channel\":\"#sms\",\"data\":{ \"t\" : [1, 2.50] }}\n");
        feed("{\"data\":null,\"command\":\"send\"}\n");
        assertEquals(
                List.of(new Intent.BrokerSend("sms", "{\"t\":[1,2.50]}"), new Intent.BrokerSend(null, "null")),
                intents);
    }

    @Test
    void ackTakesAnArrayOfPositiveIds() {
        feed("{\"command\":\"ack\",\"ids\":[17,18,9007199254740993]}\n");
        assertEquals(List.of(new Intent.BrokerAck(List.of(17L, 18L, 9007199254740993L))), intents);
    }

    @Test
    void everyBadRequestIsAnErrorForItsCommand() {
        String[][] cases = {
            {"{\"command\":\"frob\"}", "frob", "unknown command"},
            {"[1]", "error", "not a JSON object"},
            {"{\"x\":1}", "error", "missing command"},
            {"{\"command\":7}", "error", "command must be a string"},
            {"{\"command\":\"ping\"", "error", "invalid JSON at 17: expected '}'"},
            {
                "{\"command\":\"login\",\"password\":\"p\",\"role\":\"sender\"}",
                "login",
                "username must be a non-empty string"
            },
            {"{\"command\":\"login\",\"username\":\"u\",\"role\":\"sender\"}", "login", "password must be a string"},
            {
                "{\"command\":\"login\",\"username\":\"u\",\"password\":\"p\",\"role\":\"boss\"}",
                "login",
                "role must be \"sender\" or \"receiver\""
            },
            {
                "{\"command\":\"login\",\"username\":\"u\",\"password\":\"p\",\"role\":\"receiver\"}",
                "login",
                "a receiver needs a channel"
            },
            {
                "{\"command\":\"login\",\"username\":\"u\",\"password\":\"p\",\"role\":\"receiver\",\"channel\":\"a b\"}",
                "login",
                "bad channel: " + RoomNames.RULE
            },
            {"{\"command\":\"send\",\"channel\":\"sms\"}", "send", "missing data"},
            {"{\"command\":\"send\",\"channel\":5,\"data\":1}", "send", "channel must be a string"},
            {"{\"command\":\"send\",\"data\":\"0123456789abcdef\"}", "send", "data too big (max 16 bytes)"},
            {"{\"command\":\"ack\"}", "ack", "ids must be an array of positive integers"},
            {"{\"command\":\"ack\",\"ids\":[1,0]}", "ack", "ids must be an array of positive integers"},
            {"{\"command\":\"ack\",\"ids\":[1.0]}", "ack", "ids must be an array of positive integers"},
            {"{\"command\":\"ack\",\"ids\":[\"1\"]}", "ack", "ids must be an array of positive integers"},
            {"{\"command\":\"ack\",\"ids\":[-1]}", "ack", "ids must be an array of positive integers"},
            {"{\"command\":\"ack\",\"ids\":[1234567890123456789]}", "ack", "ids must be an array of positive integers"},
        };
        for (String[] c : cases) {
            intents.clear();
            feed(c[0] + "\n");
            assertEquals(List.of(new Intent.BrokerError(c[1], c[2])), intents, c[0]);
        }
    }

    @Test
    void dataIsMeasuredInUtf8BytesOfItsCompactForm() {
        // 16 bytes exactly: "é" is 2 bytes, quotes 2, twelve ASCII letters.
        feed("{\"command\":\"send\",\"data\":\"\u00e9abcdefghijkl\"}\n");
        feed("{\"command\":\"send\",\"data\":\"\u00e9abcdefghijklm\"}\n");
        feed("{\"command\":\"send\",\"data\":[ 1,  2,  3,  4,  5,  6,  7 ]}\n"); // 15 bytes compact
        assertEquals(
                List.of(
                        new Intent.BrokerSend(null, "\"\u00e9abcdefghijkl\""),
                        new Intent.BrokerError("send", "data too big (max 16 bytes)"),
                        new Intent.BrokerSend(null, "[1,2,3,4,5,6,7]")),
                intents);
    }

    @Test
    void aCharacterOutsideTheBmpCountsTheSixBytesItTakesOnTheHubLink() {
        feed("{\"command\":\"send\",\"data\":\"\uD83D\uDE00\uD83D\uDE00\"}\n"); // 2 + 12 bytes
        feed("{\"command\":\"send\",\"data\":\"\uD83D\uDE00\uD83D\uDE00a\\u00e9\"}\n"); // 2 + 12 + 1 + 2 bytes
        assertEquals(
                List.of(
                        new Intent.BrokerSend(null, "\"\uD83D\uDE00\uD83D\uDE00\""),
                        new Intent.BrokerError("send", "data too big (max 16 bytes)")),
                intents);
    }

    @Test
    void anOverlongLineIsRefusedAtOnceAndDiscardedToItsEnd() {
        feed("{\"command\":\"send\",\"data\":\"" + "x".repeat(200));
        assertEquals(
                List.of(new Intent.BrokerError("error", "line too long (max 128 bytes)")), intents, "before its end");
        feed("y".repeat(1000), "\"}\r\n{\"command\":\"ping\"}\n");
        assertEquals(
                List.of(new Intent.BrokerError("error", "line too long (max 128 bytes)"), new Intent.BrokerPing()),
                intents);
    }

    @Test
    void aLineOfExactlyTheLimitPassesWithItsCrLf() {
        String line = "{\"command\":\"ping\"}" + " ".repeat(128 - 18);
        feed(line + "\r\n", line + "\n", line + " \n", line + "\r\r\n");
        assertEquals(
                List.of(
                        new Intent.BrokerPing(),
                        new Intent.BrokerPing(),
                        new Intent.BrokerError("error", "line too long (max 128 bytes)"),
                        new Intent.BrokerError("error", "line too long (max 128 bytes)")),
                intents);
    }

    @Test
    void blankLinesAreIntentsToo() {
        feed("\n\r\n  \t\n");
        assertEquals(List.of(Intent.BLANK, Intent.BLANK, Intent.BLANK), intents);
    }

    @Test
    void aLineThatIsNotUtf8IsRefused() {
        feed(new byte[] {'"', (byte) 0xC3, '"', '\n'});
        assertEquals(List.of(new Intent.BrokerError("error", "invalid JSON: not UTF-8")), intents);
    }

    @Test
    void stopFeedLeavesTheRestInTheBuffer() {
        var in = ByteBuffer.wrap("{\"command\":\"ping\"}\n{\"command\":\"logout\"}\n".getBytes(StandardCharsets.UTF_8));
        door.feed(in, intent -> {
            intents.add(intent);
            door.stopFeed();
        });
        assertEquals(List.of(new Intent.BrokerPing()), intents);
        assertTrue(in.hasRemaining());
        door.feed(in, intents::add);
        assertEquals(List.of(new Intent.BrokerPing(), new Intent.BrokerLogout()), intents);
    }

    @Test
    void aSmallerLimitAppliesFromTheNextByte() {
        door.limits(new SupervisorMessage.Limits(10, 20, 50, 100, 1 << 20));
        feed("{\"command\":\"ping\"}\n");
        assertEquals(List.of(new Intent.BrokerError("error", "line too long (max 10 bytes)")), intents);
    }

    // ---- rendering

    @Test
    void nothingIsSaidBeforeTheFirstRequestNorPrompted() throws IOException {
        door.greet("127.0.0.1:5", 4122);
        door.prompt(FrontDoor.Prompt.USER);
        door.prompt(FrontDoor.Prompt.PASSWORD);
        door.render(new SupervisorMessage.LoginNeeded(3), 1);
        assertEquals("", taken());
    }

    @Test
    void theLoginLineComesWithTheAttachNotWithTheAccount() throws IOException {
        door.render(new SupervisorMessage.LoggedIn(1, "u"), 1);
        assertEquals("", taken());
        door.render(new SupervisorMessage.BrokerAttached(2, "receiver", "sms"), 1);
        door.render(new SupervisorMessage.BrokerAttached(0, "receiver", "sms"), 1); // repeated after a resume
        assertEquals(
                "{\"command\":\"login\",\"username\":\"u\",\"role\":\"receiver\",\"channel\":\"sms\"}\r\n", taken());
    }

    @Test
    void aSenderWithoutAChannelIsToldNone() throws IOException {
        door.render(new SupervisorMessage.LoggedIn(1, "u"), 1);
        door.render(new SupervisorMessage.BrokerAttached(2, "sender", null), 1);
        assertEquals("{\"command\":\"login\",\"username\":\"u\",\"role\":\"sender\"}\r\n", taken());
    }

    @Test
    void refusalsCarryTheirCommandAndReason() throws IOException {
        door.render(new SupervisorMessage.LoginRefused(1, "u", "wrong user name or password"), 1);
        door.render(new SupervisorMessage.BrokerRefused(2, "send", "no such \"channel\""), 1);
        assertEquals("""
                {"command":"login","error":"wrong user name or password"}\r
                {"command":"send","error":"no such \\"channel\\""}\r
                """, taken());
    }

    @Test
    void sentSaysStoredOnlyWhenStoredAndOnlyOncePerSend() throws IOException {
        door.render(new SupervisorMessage.BrokerSent(3, 17, "sms", 1, false), 1);
        door.render(new SupervisorMessage.BrokerSent(4, 18, "sms", 0, true), 1);
        door.render(new SupervisorMessage.BrokerSent(4, 19, "sms", 0, true), 1); // a resent send, confirmed again
        door.render(new SupervisorMessage.BrokerSent(5, 20, "sms", 0, false), 1);
        assertEquals("""
                {"command":"sent","id":17,"channel":"sms","receivers":1}\r
                {"command":"sent","id":18,"channel":"sms","receivers":0,"stored":true}\r
                {"command":"sent","id":20,"channel":"sms","receivers":0}\r
                """, taken());
    }

    @Test
    void aBatchEmbedsValidDataAsJsonAndTheRestAsStrings() throws IOException {
        door.render(
                new SupervisorMessage.BrokerBatch(
                        "sms",
                        List.of(17L, 18L, 19L),
                        List.of("{\"text\":\"hi\",\"from\":\"alice\"}", "not json \u2028", "[1e999]")),
                1);
        assertEquals(
                "{\"command\":\"message\",\"channel\":\"sms\",\"data\":[{\"text\":\"hi\",\"from\":\"alice\"},"
                        + "\"not json \\u2028\",[1e999]],\"ids\":[17,18,19]}\r\n",
                taken());
    }

    @Test
    void privateLinesAndNoticesAreShownAndRoomTrafficIsNot() throws IOException {
        door.render(new SupervisorMessage.Deliver(new Address.Client("node-a", 1), ALICE, 3, Style.SAY, "psst"), 1);
        door.render(new SupervisorMessage.Deliver(new Address.Everyone(), ALICE, 4, Style.SAY, "hello all"), 1);
        door.render(new SupervisorMessage.Say(7, "alice", 4121, 5, "hi"), 1);
        door.render(new SupervisorMessage.Joined(8, "bob", 99), 1);
        door.render(new SupervisorMessage.Notice("server restarting"), 1);
        assertEquals("""
                {"command":"private","from":"alice","text":"psst"}\r
                {"command":"notice","text":"server restarting"}\r
                """, taken());
    }

    @Test
    void theWorkersOwnReplies() throws IOException {
        door.reply(new Reply.Refused("send", "log in first"));
        door.reply(new Reply.Pong());
        door.reply(new Reply.LoggedOut());
        door.reply(new Reply.FloodDropped(20));
        door.reply(new Reply.Reconnecting());
        door.reply(new Reply.Reconnected());
        door.reply(new Reply.NotConnected());
        door.reply(new Reply.LoginFirst());
        door.reply(new Reply.AlreadyLoggedIn("u"));
        door.reply(new Reply.Invalid("odd"));
        door.reply(new Reply.Help()); // not a broker reply: nothing
        assertEquals("""
                {"command":"send","error":"log in first"}\r
                {"command":"pong"}\r
                {"command":"logout"}\r
                {"command":"error","error":"flood limit: lines dropped (at most 20 lines/s)"}\r
                {"command":"notice","text":"reconnecting to server..."}\r
                {"command":"notice","text":"reconnected"}\r
                {"command":"error","error":"not connected to the server right now, try again in a moment"}\r
                {"command":"error","error":"log in first"}\r
                {"command":"login","error":"already logged in"}\r
                {"command":"error","error":"odd"}\r
                """, taken());
    }

    @Test
    void goodbyeIsACloseLineWhenThereIsAReason() throws IOException {
        door.goodbye(null);
        assertEquals("", taken());
        door.goodbye("disconnected for flooding");
        assertEquals("{\"command\":\"close\",\"reason\":\"disconnected for flooding\"}\r\n", taken());
    }

    private void feed(Object... parts) {
        for (Object part : parts) {
            byte[] bytes = part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part;
            door.feed(ByteBuffer.wrap(bytes), intents::add);
        }
    }

    /** What the output holds, through its real flush. */
    private String taken() throws IOException {
        return new String(OutputCapture.take(out), java.nio.charset.StandardCharsets.UTF_8);
    }
}
