package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.PastLine;
import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.OutputCapture;
import io.forkcast.worker.front.Reply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WebSocket front door over bytes: the HTTP answers, the opening, messages in and every event out. */
class WebSocketFrontDoorTest {
    private static final SupervisorMessage.Limits LIMITS = new SupervisorMessage.Limits(100, 20, 50, 100, 1 << 20);
    private static final Sender ANN = new Sender("n", 7, "ann", 4121);
    private static final String OPENING = String.join(
            "\r\n",
            "GET /?tags=%7B%22language%22%3A%22FR%22%7D&key=app&secret=s3 HTTP/1.1",
            "Host: 127.0.0.1:8080",
            "Upgrade: websocket",
            "Connection: keep-alive, Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            "Origin: http://127.0.0.1:8080",
            "Sec-WebSocket-Extensions: permessage-deflate",
            "",
            "");

    private final ClientOutput out = new ClientOutput();
    private long now = 1_000_000_000L;
    private final WebSocketFrontDoor door = door(WebSocketSettings.defaults());
    private final List<Intent> intents = new ArrayList<>();

    private WebSocketFrontDoor door(WebSocketSettings settings) {
        var d = new WebSocketFrontDoor(out, settings, () -> now);
        d.limits(LIMITS);
        d.greet("127.0.0.1:5000", 42);
        return d;
    }

    private void feed(String text) {
        feed(text.getBytes(UTF_8));
    }

    private void feed(byte[] bytes) {
        door.feed(ByteBuffer.wrap(bytes), intents::add);
    }

    private String taken() throws IOException {
        return new String(takenBytes(), UTF_8);
    }

    private byte[] takenBytes() throws IOException {
        return OutputCapture.take(out);
    }

    /** The server's frames in what was written, as "opcode:payload" (a close's code as a number first). */
    private List<String> frames() throws IOException {
        byte[] b = takenBytes();
        var frames = new ArrayList<String>();
        int i = 0;
        while (i < b.length) {
            assertEquals(0x80, b[i] & 0xF0, "FIN set, no reserved bits");
            int opcode = b[i] & 0x0F;
            assertEquals(0, b[i + 1] & 0x80, "server frames are not masked");
            int n = b[i + 1] & 0x7F;
            int at = i + 2;
            if (n == 126) {
                n = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
                at += 2;
            }
            String payload = opcode == 8 && n >= 2
                    ? (((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF)) + " " + new String(b, at + 2, n - 2, UTF_8)
                    : new String(b, at, n, UTF_8);
            frames.add(opcode + ":" + payload);
            i = at + n;
        }
        return frames;
    }

    private void open() throws IOException {
        feed(OPENING);
        door.render(new SupervisorMessage.OpenAnswered(1, true, null), 9);
        String answer = taken();
        assertTrue(answer.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), answer);
        intents.clear();
    }

    @Test
    void acceptKeyOfRfc6455sExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void anOpeningAsksTheSupervisorThenAnswers101WithTheWelcome() throws IOException {
        feed(OPENING);
        assertEquals(1, intents.size());
        var open = (Intent.Open) intents.get(0);
        assertEquals("app", open.key());
        assertEquals("s3", open.secret());
        assertEquals(Map.of("language", "FR"), open.tags());
        assertEquals("", taken(), "nothing is answered before the supervisor says yes");
        door.render(new SupervisorMessage.Entered(0, "lobby", null), 9); // before the answer: waits
        door.render(new SupervisorMessage.OpenAnswered(1, true, null), 9);
        String answer = taken();
        assertTrue(answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), answer);
        assertTrue(!answer.toLowerCase(java.util.Locale.ROOT).contains("permessage-deflate"), "deflate is declined");
        int end = answer.indexOf("\r\n\r\n") + 4;
        var rest = answer.substring(end);
        assertTrue(
                rest.contains(
                        "{\"type\":\"welcome\",\"id\":9,\"pid\":42,\"name\":\"127.0.0.1:5000\",\"room\":\"lobby\"}"),
                rest);
        assertTrue(rest.contains("{\"type\":\"entered\",\"room\":\"lobby\"}"), rest);
    }

    @Test
    void aRefusedOpeningIs403WithTheReason() throws IOException {
        feed(OPENING);
        door.render(new SupervisorMessage.OpenAnswered(1, false, "application may not open"), 9);
        String answer = taken();
        assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
        assertTrue(answer.endsWith("application may not open\n"), answer);
    }

    @Test
    void httpErrorsAndThePage() throws IOException {
        assertEquals(405, status("POST / HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(404, status("GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n"));
        assertEquals(426, status(OPENING.replace("Version: 13", "Version: 8")));
        assertEquals(403, status(OPENING.replace("Origin: http://127.0.0.1:8080", "Origin: http://evil.example")));
        assertEquals(400, status(OPENING.replace("%7B%22language%22%3A%22FR%22%7D", "%7Bnot")));
        assertEquals(400, status(OPENING.replace("%22FR%22", "1")));
        assertEquals(400, status(OPENING.replace("dGhlIHNhbXBsZSBub25jZQ==", "short")));
        assertEquals(400, status("garbage\r\n\r\n"));
        var big = new StringBuilder("GET / HTTP/1.1\r\n");
        while (big.length() < 9000) {
            big.append("X-Pad: 0123456789012345678901234567890123456789\r\n");
        }
        assertEquals(431, status(big.toString()));
        var page = new ClientOutput();
        var d = new WebSocketFrontDoor(page, WebSocketSettings.defaults(), () -> now);
        d.limits(LIMITS);
        var got = new ArrayList<Intent>();
        d.feed(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(UTF_8)), got::add);
        assertEquals(List.of(new Intent.Hangup("http_page")), got);
        assertTrue(page.backlogBytes() > 100);
    }

    @Test
    void the426NamesVersion13AndTheOriginListAndStarWork() throws IOException {
        feed(OPENING.replace("Version: 13", "Version: 8"));
        assertTrue(taken().contains("Sec-WebSocket-Version: 13\r\n"));
        var list = new WebSocketSettings(
                WebSocketSettings.parseOrigins("https://chat.example.org, http://b.example"),
                Duration.ZERO,
                100,
                16,
                64);
        assertTrue(Handshake.originAllowed("https://chat.example.org/", "x", list));
        assertTrue(!Handshake.originAllowed("http://127.0.0.1:8080", "127.0.0.1:8080", list));
        var any = new WebSocketSettings(List.of("*"), Duration.ZERO, 100, 16, 64);
        assertTrue(Handshake.originAllowed("http://anything", "h", any));
        var same = WebSocketSettings.defaults();
        assertTrue(Handshake.originAllowed("https://chat.example.org", "chat.example.org", same));
        assertTrue(!Handshake.originAllowed("http://127.0.0.1:8081", "127.0.0.1:8080", same));
    }

    private int status(String request) throws IOException {
        var o = new ClientOutput();
        var d = new WebSocketFrontDoor(o, WebSocketSettings.defaults(), () -> now);
        d.limits(LIMITS);
        var got = new ArrayList<Intent>();
        d.feed(ByteBuffer.wrap(request.getBytes(UTF_8)), got::add);
        assertTrue(got.size() == 1 && got.get(0) instanceof Intent.Hangup, "hung up: " + got);
        String text = new String(OutputCapture.take(o), UTF_8);
        return Integer.parseInt(text.substring(9, 12));
    }

    @Test
    void linesCommandsAndTaggedRequestsBecomeIntents() throws IOException {
        open();
        feed(WsFrameDecoderTest.frame(0x81, "hello"));
        feed(WsFrameDecoderTest.frame(0x81, "/join kitchen"));
        feed(WsFrameDecoderTest.frame(0x81, "{\"message\":\"plain\"}"));
        feed(WsFrameDecoderTest.frame(
                0x81,
                "{\"message\":\"bonjour\",\"tags\":{\"language\":\"FR\"},"
                        + "\"metadata\":{\"key\":\"application2\",\"secret\":\"x\"}}"));
        feed(WsFrameDecoderTest.frame(0x81, "{not json}"));
        assertEquals(
                List.of(
                        new Intent.Say("hello"),
                        new Intent.Join("kitchen"),
                        new Intent.Say("plain"),
                        new Intent.TaggedSay("bonjour", Map.of("language", "FR"), "application2", "x"),
                        new Intent.Say("{not json}")),
                intents);
    }

    @Test
    void pingIsAnsweredWithThePayloadAndCloseIsEchoed() throws IOException {
        open();
        feed(WsFrameDecoderTest.frame(0x89, "abc"));
        assertEquals(List.of("10:abc"), frames());
        feed(WsFrameDecoderTest.frame(0x88, new byte[] {0x03, (byte) 0xE9}, true));
        assertEquals(List.of("8:1001 "), frames());
        assertEquals(new Intent.Hangup("ws_close"), intents.get(intents.size() - 1));
    }

    @Test
    void pingsAndPongsAreKeepAlivesNotInput() throws IOException {
        open();
        feed(WsFrameDecoderTest.frame(0x89, "abc"));
        feed(WsFrameDecoderTest.frame(0x8A, ""));
        assertEquals(List.of(Intent.KEEP_ALIVE, Intent.KEEP_ALIVE), intents);
        feed(WsFrameDecoderTest.frame(0x81, "hi"));
        assertEquals(new Intent.Say("hi"), intents.get(2));
    }

    @Test
    void aCloseWeBeganAwaitsTheClientsClose() throws IOException {
        open();
        door.goodbye("idle for too long, disconnecting");
        assertEquals(
                List.of(
                        "1:{\"type\":\"notice\",\"text\":\"idle for too long, disconnecting\"}",
                        "8:1001 idle for too long, disconnecting"),
                frames());
        assertTrue(door.awaitingCloseReply());
        feed(WsFrameDecoderTest.frame(0x81, "late"));
        feed(WsFrameDecoderTest.frame(0x89, "p"));
        assertTrue(door.awaitingCloseReply(), "data and pings do not end the wait");
        assertEquals(List.of(), frames(), "nothing is sent after our close");
        assertEquals(List.of(), intents);
        feed(WsFrameDecoderTest.frame(0x88, new byte[] {0x03, (byte) 0xE8}, true));
        assertTrue(!door.awaitingCloseReply(), "the client's close ends the wait");
        assertEquals(List.of(), frames());
    }

    @Test
    void aViolationDoesNotAwaitAClose() throws IOException {
        open();
        feed(WsFrameDecoderTest.frame(0x81, "x".getBytes(UTF_8), false));
        assertTrue(!door.awaitingCloseReply());
    }

    @Test
    void aViolationClosesWithItsCode() throws IOException {
        open();
        feed(WsFrameDecoderTest.frame(0x81, "x".getBytes(UTF_8), false));
        assertEquals(List.of("8:1002 client frame not masked"), frames());
        assertEquals(List.of(new Intent.Hangup("ws_1002")), intents);
        feed(WsFrameDecoderTest.frame(0x81, "after"));
        assertEquals(List.of(new Intent.Hangup("ws_1002")), intents, "nothing is read after the close");
    }

    @Test
    void dataBeforeTheAnswerIsRefused() throws IOException {
        feed(OPENING + "x");
        assertTrue(taken().startsWith("HTTP/1.1 400"));
        assertEquals(new Intent.Hangup("ws_early_data"), intents.get(intents.size() - 1));
    }

    @Test
    void aSilentClientIsPingedThenClosed() throws IOException {
        open();
        now += Duration.ofSeconds(30).toNanos();
        door.tick(intents::add);
        assertEquals(List.of("9:"), frames());
        now += Duration.ofSeconds(29).toNanos();
        door.tick(intents::add);
        assertEquals(List.of(), frames());
        feed(WsFrameDecoderTest.frame(0x8A, "")); // the pong: heard again
        now += Duration.ofSeconds(29).toNanos();
        door.tick(intents::add);
        now += Duration.ofSeconds(2).toNanos();
        door.tick(intents::add);
        assertEquals(List.of("9:"), frames());
        now += Duration.ofSeconds(30).toNanos();
        door.tick(intents::add);
        assertEquals(List.of("8:1001 no answer to ping"), frames());
        assertEquals(new Intent.Hangup("ping_timeout"), intents.get(intents.size() - 1));
    }

    @Test
    void whileTheLoopDoesNotReadTheClientItsSilenceIsNotCounted() throws IOException {
        open();
        now += Duration.ofSeconds(30).toNanos();
        door.tick(intents::add);
        assertEquals(List.of("9:"), frames());
        door.reading(false); // held: the pong may be in the kernel, unread
        for (int i = 0; i < 5; i++) {
            now += Duration.ofSeconds(30).toNanos();
            door.tick(intents::add);
        }
        assertEquals(List.of(), frames(), "neither a ping nor a close while the client is not read");
        door.reading(true);
        now += Duration.ofSeconds(29).toNanos();
        door.tick(intents::add);
        assertEquals(List.of(), frames(), "silence counts again from when it is read again");
        now += Duration.ofSeconds(1).toNanos();
        door.tick(intents::add);
        assertEquals(List.of("9:"), frames());
        now += Duration.ofSeconds(30).toNanos();
        door.tick(intents::add);
        assertEquals(List.of("8:1001 no answer to ping"), frames());
    }

    @Test
    void everyOrderIsOneJsonEvent() throws IOException {
        open();
        var orders = List.<SupervisorMessage>of(
                new SupervisorMessage.Entered(3, "kitchen", "cake"),
                new SupervisorMessage.Deliver(
                        new Address.Room("kitchen"), ANN, 1, SupervisorMessage.Style.SAY, "hi \"you\""),
                new SupervisorMessage.Deliver(
                        new Address.Room("kitchen"), ANN, 2, SupervisorMessage.Style.ACT, "waves"),
                new SupervisorMessage.Deliver(new Address.Client("n", 9), ANN, 3, SupervisorMessage.Style.SAY, "psst"),
                new SupervisorMessage.RoomJoined(ANN, "kitchen"),
                new SupervisorMessage.RoomLeft(ANN, "kitchen", "lobby"),
                new SupervisorMessage.Renamed(7, "ann", "anna", 4121),
                new SupervisorMessage.TopicChanged(ANN, "kitchen", "pie"),
                new SupervisorMessage.PeopleList("kitchen", 1, 0, List.of(new Present(ANN, "1.2.3.4:5", null))),
                new SupervisorMessage.RoomList(1, 0, List.of(new RoomEntry("kitchen", 2, null))),
                new SupervisorMessage.HistoryLines(
                        "kitchen", 1, 0, List.of(new PastLine(5, "ann", SupervisorMessage.Style.SAY, "old"))),
                new SupervisorMessage.PrivateSent(4, "bob", "yo"),
                new SupervisorMessage.NickAccepted(5, "zed"),
                new SupervisorMessage.NickRefused(6, "ann", "taken"),
                new SupervisorMessage.LoggedIn(7, "zed"),
                new SupervisorMessage.LoginRefused(8, "zed", "login incorrect"),
                new SupervisorMessage.Notice("hello\u0007"),
                new SupervisorMessage.TaggedLine(ANN, 9, "bonjour", Map.of("language", "FR")),
                new SupervisorMessage.TaggedSent(10, 3, null),
                new SupervisorMessage.TaggedSent(10, 3, null),
                new SupervisorMessage.TaggedSent(11, 0, "application may not send"),
                new SupervisorMessage.AdminMessage("maintenance at 5"));
        for (var o : orders) {
            door.render(o, 9);
        }
        var events = frames();
        var expected = List.of(
                "{\"type\":\"entered\",\"room\":\"kitchen\",\"topic\":\"cake\"}",
                "{\"type\":\"line\",\"room\":\"kitchen\",\"from\":\"ann\",\"pid\":4121,\"id\":7,\"text\":\"hi \\\"you\\\"\",\"time\":",
                "\"text\":\"waves\",\"time\":",
                "{\"type\":\"private\",\"from\":\"ann\",\"pid\":4121,\"text\":\"psst\"",
                "{\"type\":\"join\",\"room\":\"kitchen\",\"name\":\"ann\",\"pid\":4121}",
                "{\"type\":\"leave\",\"room\":\"kitchen\",\"name\":\"ann\",\"pid\":4121,\"to\":\"lobby\"}",
                "{\"type\":\"nick\",\"old\":\"ann\",\"new\":\"anna\",\"pid\":4121}",
                "{\"type\":\"topic\",\"room\":\"kitchen\",\"by\":\"ann\",\"topic\":\"pie\"}",
                "{\"type\":\"who\",\"room\":\"kitchen\",\"total\":1,\"offset\":0,\"people\":[{\"name\":\"ann\",\"pid\":4121,"
                        + "\"room\":\"kitchen\",\"peer\":\"1.2.3.4:5\"}]}",
                "{\"type\":\"rooms\",\"total\":1,\"offset\":0,\"rooms\":[{\"name\":\"kitchen\",\"members\":2}]}",
                "{\"type\":\"history\",\"room\":\"kitchen\",\"total\":1,\"offset\":0,\"lines\":[{\"time\":5,\"from\":\"ann\","
                        + "\"text\":\"old\",\"action\":false}]}",
                "{\"type\":\"private_sent\",\"to\":\"bob\",\"text\":\"yo\"}",
                "{\"type\":\"nick\",\"new\":\"zed\",\"self\":true}",
                "{\"type\":\"error\",\"text\":\"nickname ann refused: taken\"}",
                "{\"type\":\"logged_in\",\"user\":\"zed\"}",
                "{\"type\":\"error\",\"text\":\"login incorrect\"}",
                "{\"type\":\"notice\",\"text\":\"hello\\u0007\"}",
                "{\"type\":\"message\",\"message\":\"bonjour\",\"from\":\"ann\",\"tags\":{\"language\":\"FR\"}}",
                "{\"type\":\"sent\",\"receivers\":3}",
                "{\"type\":\"error\",\"text\":\"application may not send\"}",
                "{\"type\":\"admin\",\"message\":\"maintenance at 5\"}");
        assertEquals(expected.size(), events.size(), String.join("\n", events));
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(events.get(i).contains(expected.get(i)), events.get(i) + " lacks " + expected.get(i));
        }
        assertTrue(events.get(2).contains("\"action\":true"));
    }

    @Test
    void aPersonOnAnotherNodeIsShownWithItsNodeAndIsNeverYou() throws IOException {
        open();
        door.node("n");
        var bob = new Sender("b", 9, "bob", 900); // client id 9 on node b: the same number as this client's own
        door.render(
                new SupervisorMessage.PeopleList(
                        null,
                        2,
                        0,
                        List.of(
                                new Present(new Sender("n", 9, "me", 4121), "1.2.3.4:5", "kitchen"),
                                new Present(bob, "5.6.7.8:9", "lobby"))),
                9);
        assertEquals(
                List.of("1:{\"type\":\"who\",\"total\":2,\"offset\":0,\"people\":["
                        + "{\"name\":\"me\",\"pid\":4121,\"room\":\"kitchen\",\"peer\":\"1.2.3.4:5\",\"you\":true},"
                        + "{\"name\":\"bob\",\"pid\":900,\"room\":\"lobby\",\"peer\":\"5.6.7.8:9\",\"node\":\"b\"}]}"),
                frames());
    }

    @Test
    void repliesPromptsAndGoodbye() throws IOException {
        open();
        door.reply(new Reply.UnknownCommand("/frob"));
        door.prompt(FrontDoor.Prompt.PASSWORD);
        feed(WsFrameDecoderTest.frame(0x81, "secret"));
        door.goodbye("bye");
        assertEquals(
                List.of(
                        "1:{\"type\":\"error\",\"text\":\"unknown command /frob, try /help\"}",
                        "1:{\"type\":\"login\",\"prompt\":\"password\"}",
                        "1:{\"type\":\"notice\",\"text\":\"bye\"}",
                        "8:1000 bye"),
                frames());
        assertEquals(List.of(new Intent.Password("secret")), intents);
    }

    @Test
    void textFormatGivesTelnetLines() throws IOException {
        feed(OPENING.replace("GET /?", "GET /?format=text&"));
        door.render(new SupervisorMessage.OpenAnswered(1, true, null), 9);
        taken();
        door.render(
                new SupervisorMessage.Deliver(new Address.Room("lobby"), ANN, 1, SupervisorMessage.Style.SAY, "hi"), 9);
        door.render(new SupervisorMessage.AdminMessage("hey"), 9);
        assertEquals(List.of("1:[ann] (4121): hi", "1:*** admin: hey"), frames());
    }
}
