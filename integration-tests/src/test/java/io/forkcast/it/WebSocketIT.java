package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket clients end to end, with a raw RFC 6455 client ({@link RawWebSocket}): seed 001's tag routing (AND of
 * the pairs, across rooms, not to the sender, the sender told how many), its auth.yml (application1 may open,
 * application2 may only send), seed 003's LIST WEBSOCKETS and SEND MESSAGE, and a browser chatting with a telnet
 * user in the same room.
 */
@Timeout(180)
class WebSocketIT {
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

    @TempDir
    Path dir;

    private static long idOf(String welcome) {
        var m = ID.matcher(welcome);
        assertTrue(m.find(), welcome);
        return Long.parseLong(m.group(1));
    }

    private static RawWebSocket open(ForkcastServer server, String path) throws Exception {
        var opening = RawWebSocket.open(server.host(), server.wsPort(), path);
        assertEquals(101, opening.status(), opening.head() + opening.body());
        return opening.session();
    }

    @Test
    void aTaggedMessageReachesTheClientsWithAllItsTagsAndASentCountGoesBack() throws Exception {
        try (var server = ForkcastServer.start();
                var fr = open(server, RawWebSocket.query(null, null, "{\"language\":\"FR\",\"team\":\"ops\"}"));
                var en = open(server, RawWebSocket.query(null, null, "{\"language\":\"EN\",\"team\":\"ops\"}"));
                var sender = open(server, RawWebSocket.query(null, null, null))) {
            fr.expect("\"type\":\"welcome\"");
            en.expect("\"type\":\"welcome\"");
            sender.expect("\"type\":\"welcome\"");
            fr.send("/join elsewhere");
            fr.expect("\"type\":\"entered\"", "\"room\":\"elsewhere\"");

            sender.send("{\"message\":\"bonjour\",\"tags\":{\"language\":\"FR\"}}");
            sender.expect("\"type\":\"sent\"", "\"receivers\":1");
            String got = fr.expect("\"type\":\"message\"");
            assertTrue(got.contains("\"message\":\"bonjour\""), got);
            assertTrue(got.contains("\"tags\":{\"language\":\"FR\"}"), got);

            sender.send("{\"message\":\"all of ops\",\"tags\":{\"team\":\"ops\"}}");
            sender.expect("\"type\":\"sent\"", "\"receivers\":2");
            en.expect("\"type\":\"message\"", "\"message\":\"all of ops\"");
            fr.expect("\"type\":\"message\"", "\"message\":\"all of ops\"");
            assertFalse(
                    en.seen().stream().anyMatch(t -> t.contains("bonjour")),
                    "EN never got the FR message: " + en.seen());

            sender.send("{\"message\":\"nobody\",\"tags\":{\"language\":\"DE\"}}");
            sender.expect("\"type\":\"sent\"", "\"receivers\":0");
        }
    }

    @Test
    void withSeed001sAuthFileApplication1OpensAndApplication2OnlySends() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth.yml"), """
                applications:
                  - key: application1
                    secret: secret-one
                    authorizeOpen: true
                  - key: application2
                    secret: secret-two
                    authorizeOpen: false
                """);
        try (var server = ForkcastServer.start("--ws-auth-file", auth.toString())) {
            var none = RawWebSocket.open(server.host(), server.wsPort(), "/");
            assertEquals(403, none.status(), none.head());
            assertTrue(none.body().contains("an application key and secret are needed"), none.body());
            var two = RawWebSocket.open(
                    server.host(), server.wsPort(), RawWebSocket.query("application2", "secret-two", null));
            assertEquals(403, two.status(), two.head());
            assertTrue(two.body().contains("this application may not open connections"), two.body());
            var wrong = RawWebSocket.open(
                    server.host(), server.wsPort(), RawWebSocket.query("application1", "secret-two", null));
            assertEquals(403, wrong.status(), wrong.head());

            try (var fr = open(server, RawWebSocket.query("application1", "secret-one", "{\"language\":\"FR\"}"));
                    var sender = open(server, RawWebSocket.query("application1", "secret-one", null))) {
                fr.expect("\"type\":\"welcome\"");
                sender.expect("\"type\":\"welcome\"");
                sender.send("{\"message\":\"no metadata\",\"tags\":{\"language\":\"FR\"}}");
                sender.expect("\"type\":\"error\"", "metadata.key and metadata.secret");
                sender.send("{\"message\":\"from two\",\"tags\":{\"language\":\"FR\"},"
                        + "\"metadata\":{\"key\":\"application2\",\"secret\":\"secret-two\"}}");
                sender.expect("\"type\":\"sent\"", "\"receivers\":1");
                fr.expect("\"type\":\"message\"", "\"message\":\"from two\"");
            }
            assertFalse(server.logText().contains("secret-one"), "no secret logged");
            assertFalse(server.logText().contains("secret-two"), "no secret logged");
        }
    }

    @Test
    void seed003ListsWebSocketClientsAndMessagesThemAndTheyChatWithTelnetUsers() throws Exception {
        try (var server = ForkcastServer.start();
                var telnet = server.join();
                var ws = open(server, "/")) {
            long id = idOf(ws.expect("\"type\":\"welcome\""));
            telnet.expectLine(l -> l.endsWith(") joined"));

            try (var admin = RawAdmin.connect(RawAdmin.socketOf(server))) {
                admin.send("LIST WEBSOCKETS\n");
                assertEquals("=== START ===", admin.readLine());
                var lines = new ArrayList<String>();
                for (String line = admin.readLine(); !line.equals("=== END ==="); line = admin.readLine()) {
                    lines.add(line);
                }
                assertEquals(1, lines.size(), lines.toString());
                assertTrue(lines.getFirst().startsWith(id + " 127.0.0.1:"), lines.toString());
                assertTrue(lines.getFirst().endsWith(" kind=websocket"), lines.toString());
            }
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                assertEquals(2, admin.list().size(), "LIST is everyone");
                admin.send(id, "hello  from 003");
            }
            ws.expect("\"type\":\"admin\"", "\"message\":\"hello  from 003\"");

            ws.send("hi from a browser");
            telnet.expectLine(l -> l.endsWith(": hi from a browser"));
            telnet.send("hi from telnet");
            ws.expect("\"type\":\"line\"", "\"text\":\"hi from telnet\"");
            assertEquals(
                    List.of(),
                    ws.seen().stream()
                            .filter(t -> t.contains("hi from a browser"))
                            .toList());
        }
    }
}
