package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's side of the WebSocket port, with no WebSocket worker involved: the port printed before READY (and
 * none when off), a client turned away before any worker serves it answered in HTTP, and seed 001's ws_auth_file
 * checked at start and read again on SIGHUP.
 */
@Timeout(120)
class WebSocketPortIT {
    private static final String AUTH = """
            applications:
              - key: application1
                secret: open-sesame-1
                authorizeOpen: true
              - key: application2
                secret: open-sesame-2
                authorizeOpen: false
            """;

    @TempDir
    Path dir;

    @Test
    void theWebSocketPortIsPrintedBeforeReadyAndOffLeavesItOut() throws Exception {
        try (var server = ForkcastServer.start()) {
            assertTrue(server.wsPort() > 0, "the harness asks for a free port: " + server.wsPort());
            assertNotEquals(server.port(), server.wsPort());
            server.awaitLog("event=ready listen=\\S+ websocket=127\\.0\\.0\\.1:" + server.wsPort() + " ");
        }
        try (var server = ForkcastServer.start("--ws-port", "off")) {
            assertEquals(-1, server.wsPort());
            assertFalse(server.awaitLog("event=ready ").contains("websocket="));
        }
    }

    @Test
    void aWebSocketClientTurnedAwayBeforeAnyWorkerGetsAnHttp503WithTheReason() throws Exception {
        try (var server = ForkcastServer.start("--clients-per-address-max", "1");
                var telnet = server.join()) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.host(), server.wsPort()), 5000);
                socket.setSoTimeout(10_000);
                // Nothing is sent: the refusal does not wait for a request (and one still unread when the server
                // closes could turn its answer into a reset, however the server drains what it has).
                var all = new ByteArrayOutputStream();
                socket.getInputStream().transferTo(all); // the server closes after its answer
                String response = all.toString(StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), response);
                assertTrue(response.contains("\r\nConnection: close\r\n"), response);
                assertTrue(response.endsWith("\r\n\r\ntoo many connections from your address\n"), response);
            }
            telnet.send("/who");
            telnet.expectLine(l -> l.contains("1 person"));
        }
    }

    @Test
    void aBadAuthFileStopsTheStartWithOneLineAndNoSecret() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth.yml"), "applications:\n  - key: a\n    secret: [open-sesame\n");
        var result = CommandLineIT.run(
                "run",
                "--port",
                "0",
                "--ws-port",
                "0",
                "--ws-auth-file",
                auth.toString(),
                "--runtime-dir",
                dir.resolve("run").toString());
        assertEquals(2, result.code(), result.stdout() + result.stderr());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
        assertTrue(result.stderr().contains("ws_auth_file " + auth + " is not YAML (line "), result.stderr());
        assertFalse(result.stderr().contains("open-sesame"), result.stderr());
    }

    @Test
    void sighupReadsTheAuthFileAgainAndABadOneRefusesTheReload() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth.yml"), AUTH);
        try (var server = ForkcastServer.start("--ws-auth-file", auth.toString())) {
            server.awaitLog("event=ws_applications file=\\S+ applications=2 may_open=1");
            Files.writeString(auth, AUTH + "  - key: application2\n    secret: open-sesame-3\n");
            server.signal("HUP");
            String failed = server.awaitLog("event=reload_failed ");
            assertTrue(failed.contains("key application2 is listed twice"), failed);
            Files.writeString(
                    auth, AUTH + "  - key: application3\n    secret: open-sesame-3\n    authorizeOpen: true\n");
            server.signal("HUP");
            server.awaitLog("event=ws_applications file=\\S+ applications=3 may_open=2");
            server.awaitLog("event=reload changed=");
            assertFalse(server.logText().contains("open-sesame"), "no secret logged");
            assertEquals(
                    List.of(),
                    List.of(server.logText()
                            .lines()
                            .filter(l -> l.contains("secret:"))
                            .toArray()));
        }
    }

    @Test
    void socketActivationPassesTheWebSocketPortByName() throws Exception {
        int chat = Tools.stablePort();
        int ws = Tools.stablePort();
        var command = Tools.socketActivated("chat:websocket", List.of(chat, ws));
        // The first connection (to the WebSocket port) starts the server, which serves it.
        CompletableFuture<RawWebSocket.Opening> first = CompletableFuture.supplyAsync(() -> Await.until(
                Duration.ofSeconds(30),
                "a listener on " + ws + "%s",
                () -> {
                    try {
                        return RawWebSocket.open("127.0.0.1", ws, "/");
                    } catch (IOException notYet) {
                        return null;
                    }
                },
                () -> ""));
        try (var server = ForkcastServer.start(command, Map.of(), List.of())) {
            var opening = first.get(60, TimeUnit.SECONDS);
            assertEquals(101, opening.status(), opening.head() + opening.body());
            try (var browser = opening.session()) {
                browser.expect("\"type\":\"welcome\"");
                assertEquals(chat, server.port());
                assertEquals(ws, server.wsPort());
                server.awaitLog(
                        "event=ready listen=127.0.0.1:" + chat + " activation=socket websocket=127.0.0.1:" + ws);
                try (var person = server.join()) {
                    person.send("hello browser");
                    browser.expect("\"type\":\"line\"", "\"text\":\"hello browser\"");
                }
            }
        }
    }
}
