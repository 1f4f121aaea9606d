package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 6455 on the wire against a real worker, frame by frame with {@link RawWebSocket}: the message limit
 * (ws_max_message_bytes, here 1000) enforced from a frame's header before its payload comes and over all of a
 * message's fragments, fragments joined into one message, UTF-8 checked across them, every frame rule's close code,
 * the client's close handshake, and permessage-deflate declined. One server for the class; a connection per test.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketWireIT {
    private static final int MAX_MESSAGE_BYTES = 1000;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Frame heads (FIN, reserved bits, opcode) of the first byte. */
    private static final int FIN = 0x80;

    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;

    private ForkcastServer server;

    @BeforeAll
    void start() throws IOException {
        server = ForkcastServer.start("--ws-max-message-bytes", Integer.toString(MAX_MESSAGE_BYTES));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawWebSocket open() throws IOException {
        var opening = RawWebSocket.open(server.host(), server.wsPort(), "/");
        assertEquals(101, opening.status(), opening.head() + opening.body());
        var session = opening.session();
        session.expect("\"type\":\"welcome\"");
        return session;
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The close frame comes with {@code code}, and then the server ends the TCP connection. */
    private static void closedWith(RawWebSocket ws, int code) throws IOException {
        assertEquals(code, ws.awaitClose(WAIT), "close code; reason: " + ws.closeReason());
        assertTrue(ws.awaitEnd(WAIT), "the server ends the connection after its close frame");
    }

    /** The supervisor logs {@code ws}'s session as ended for {@code cause}. */
    private void awaitLeft(RawWebSocket ws, String cause) {
        server.awaitLog("event=left .*peer=" + Pattern.quote(ws.address()) + " .*cause=" + cause + " ");
    }

    @Test
    void aHeaderAnnouncing16MiBIsClosedWith1009BeforeAnyOfItsPayloadIsSent() throws Exception {
        try (var ws = open()) {
            // Only the 14 bytes of the header go out: a worker that buffered first would wait for 16 MiB.
            ws.header(FIN | TEXT, 16L << 20);
            assertEquals(1009, ws.awaitClose(WAIT), ws.closeReason());
            assertTrue(ws.closeReason().contains(Integer.toString(MAX_MESSAGE_BYTES)), ws.closeReason());
            assertTrue(ws.awaitEnd(WAIT), "the server ends the connection after its close frame");
            awaitLeft(ws, "ws_1009");
        }
    }

    @Test
    void aHeaderAnnouncing16MiBWithAFewBytesOfItIsClosedWith1009AtOnce() throws Exception {
        try (var ws = open()) {
            // The header and 11 bytes of the 16 MiB, in one write (read at once: nothing is left unread to make the
            // server's close a reset); the rest never comes.
            ws.headerAndStart(FIN | TEXT, 16L << 20, utf8("hello there"));
            closedWith(ws, 1009);
            awaitLeft(ws, "ws_1009");
        }
    }

    @Test
    void atTheDefaultLimitA60KiBMessageIsTakenAndA64KiBOneIsClosedWith1009() throws Exception {
        try (var own = ForkcastServer.start()) {
            var opening = RawWebSocket.open(own.host(), own.wsPort(), "/");
            assertEquals(101, opening.status(), opening.head() + opening.body());
            try (var ws = opening.session()) {
                ws.expect("\"type\":\"welcome\"");
                // 61440 bytes, ws_max_message_bytes' default: a whole message, though too long for one chat line.
                ws.sendFrame(FIN | TEXT, utf8("a".repeat(61440)), true);
                ws.expect("line too long");
                ws.send("/who");
                ws.expect("\"type\":\"who\"");
                ws.header(FIN | TEXT, 65536); // only the header: the rest unread would make the close a reset
                closedWith(ws, 1009);
                assertTrue(ws.closeReason().contains("61440"), ws.closeReason());
            }
        }
    }

    @Test
    void fragmentsWhoseTotalPassesTheLimitAreClosedWith1009AtTheHeaderThatPassesIt() throws Exception {
        try (var ws = open()) {
            ws.sendFrame(TEXT, utf8("a".repeat(600)), true); // FIN=0: a message under way, within the limit
            // 600 + 600 > 1000: refused from the continuation's header, none of whose payload is sent.
            ws.header(FIN | CONTINUATION, 600);
            closedWith(ws, 1009);
        }
    }

    @Test
    void fragmentsWithinTheLimitAreOneMessageWithAPingBetweenThemAndACharacterSplitAcrossThem() throws Exception {
        try (var listener = open();
                var sender = open()) {
            // "café € ok" in three fragments: é split after its first byte, € after its second; a ping between.
            sender.sendFrame(TEXT, bytes("636166c3"), true);
            sender.sendFrame(FIN | PING, utf8("between"), true);
            sender.sendFrame(CONTINUATION, bytes("a920e282"), true);
            sender.sendFrame(FIN | CONTINUATION, bytes("ac206f6b"), true);
            String line = listener.expect("\"type\":\"line\"");
            assertTrue(line.contains("\"text\":\"café € ok\""), line);
            // And a last fragment that fills the limit exactly is still one message.
            sender.sendFrame(TEXT, utf8("x".repeat(MAX_MESSAGE_BYTES - 1)), true);
            sender.sendFrame(FIN | CONTINUATION, utf8("y"), true);
            String full = listener.expect("\"type\":\"line\"", "y\"");
            assertTrue(full.contains("\"text\":\"" + "x".repeat(MAX_MESSAGE_BYTES - 1) + "y\""), full);
            sender.send("/who");
            sender.expect("\"type\":\"who\"");
            assertEquals(1, sender.pongs(), "the ping between fragments was answered");
            assertEquals(
                    2,
                    listener.seen().stream()
                            .filter(t -> t.contains("\"type\":\"line\""))
                            .count(),
                    "two messages, not one per fragment: " + listener.seen());
        }
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsIsClosedWith1007AtTheBadByte() throws Exception {
        try (var listener = open();
                var ws = open()) {
            // E2 82 starts a three-byte character; the next fragment's 28 "(" cannot continue it. FIN stays 0: the
            // close must come at the byte, not at the end of the message.
            ws.sendFrame(TEXT, bytes("6f6b20e282"), true);
            ws.sendFrame(CONTINUATION, bytes("28"), true);
            closedWith(ws, 1007);
            listener.send("/who");
            listener.expect("\"type\":\"who\"");
            assertFalse(listener.seen().stream().anyMatch(t -> t.contains("\"type\":\"line\"")), "nothing delivered");
        }
    }

    @Test
    void aMessageEndingInsideACharacterIsClosedWith1007() throws Exception {
        try (var ws = open()) {
            ws.sendFrame(TEXT, bytes("6f6b"), true);
            ws.sendFrame(FIN | CONTINUATION, bytes("20f09f"), true); // F0 9F: two bytes of a four-byte character
            closedWith(ws, 1007);
        }
    }

    /**
     * Frames that break a rule of RFC 6455 section 5: {@code first} is the first byte of a frame ("hi") sent
     * before, or empty for none; then the frame that breaks the rule: its first byte, its payload in hex or else
     * that many zero bytes, and whether it is masked.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "continuation without a message under way,   ,   80, 6869, 0,   true",
        "new text frame inside a fragmented message, 01, 81, 6869, 0,   true",
        "unmasked client frame,                      ,   81, 6869, 0,   false",
        "ping over 125 bytes,                        ,   89,     , 126, true",
        "fragmented ping,                            ,   09, 6869, 0,   true",
        "RSV1 set (no extension was agreed),         ,   c1, 6869, 0,   true",
        "RSV2 set,                                   ,   a1, 6869, 0,   true",
        "RSV3 set,                                   ,   91, 6869, 0,   true",
        "reserved opcode 3,                          ,   83, 6869, 0,   true",
        "close frame of one byte,                    ,   88, 03,   0,   true",
    })
    void aFrameThatBreaksARuleIsClosedWith1002(
            String rule, String first, String b0, String payloadHex, int zeroBytes, boolean masked) throws Exception {
        try (var listener = open();
                var ws = open()) {
            if (first != null) {
                ws.sendFrame(Integer.parseInt(first, 16), utf8("hi"), true);
            }
            byte[] body = payloadHex == null ? new byte[zeroBytes] : bytes(payloadHex);
            ws.sendFrame(Integer.parseInt(b0, 16), body, masked);
            closedWith(ws, 1002);
            awaitLeft(ws, "ws_1002");
            listener.send("/who");
            String who = listener.expect("\"type\":\"who\"");
            assertFalse(who.contains(ws.address()), rule + ": the broken client is gone: " + who);
            assertFalse(listener.seen().stream().anyMatch(t -> t.contains("\"type\":\"line\"")), rule);
        }
    }

    @Test
    void theClientsClose1000IsAnsweredWith1000AndTheServerEndsTheConnection() throws Exception {
        try (var ws = open()) {
            ws.sendFrame(FIN | 0x8, bytes("03e8") /* 1000 */, true);
            closedWith(ws, 1000);
            awaitLeft(ws, "ws_close");
        }
    }

    @Test
    void permessageDeflateOfferedIsDeclinedAndAFrameCompressedAnywayIsClosedWith1002() throws Exception {
        var opening = RawWebSocket.open(
                server.host(),
                server.wsPort(),
                "/",
                List.of("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"),
                0);
        assertEquals(101, opening.status(), opening.head());
        assertFalse(
                opening.head().toLowerCase(Locale.ROOT).contains("sec-websocket-extensions"),
                "no extension in the 101: " + opening.head());
        try (var ws = opening.session()) {
            ws.expect("\"type\":\"welcome\"");
            ws.send("/who");
            ws.expect("\"type\":\"who\""); // uncompressed frames are what it speaks
            ws.sendFrame(0x40 | FIN | TEXT, bytes("f248cdc9c90700"), true); // "Hello" deflated, RSV1 set
            closedWith(ws, 1002);
        }
    }
}
