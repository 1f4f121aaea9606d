package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.forkcast.admin.WebSocketChatClient;
import io.forkcast.admin.WebSocketChatException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped WebSocket client libraries against a real forkcast: scripts/websocket/php's WebSocketClient, run by
 * Debian's php, pushes seed 001's tagged messages to browsers played by admin's {@link WebSocketChatClient}
 * (tag routing, and seed 001's auth.yml refusing a send without an application's key and secret).
 */
@Timeout(240)
class WebSocketClientsIT {
    private static final Path LIBRARY = ForkcastServer.HOME.resolve("scripts/websocket/php");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, String> FR = Map.of("language", "FR");
    private static final Map<String, String> EN = Map.of("language", "EN");

    /** Seed 001's auth.yml, as its README prints it. */
    private static final String AUTH_YML = """
            applications:
              -
                key: application1
                secret: B4ajW3P7jfWEYPZsQV8mnteHg97G67uW
                authorizeOpen: true
              - key: application2
                secret: 33yLWdynhaqm9tYjDFKf8gB8zmAPKdDP
                authorizeOpen: false
            """;

    private static final String KEY1 = "?key=application1&secret=B4ajW3P7jfWEYPZsQV8mnteHg97G67uW";

    @TempDir
    Path dir;

    private static String base(ForkcastServer server) {
        return "ws://" + server.host() + ":" + server.wsPort() + "/";
    }

    /** Runs the PHP client once: send.php url message tags [key secret]; its one output line. */
    private ChildProcess php(String url, String message, String tagsJson, String... metadata) throws Exception {
        Path php = Tools.require("php", "the PHP WebSocket client's tests");
        Path script = Path.of(
                WebSocketClientsIT.class.getResource("/php-websocket/send.php").toURI());
        var command = new ArrayList<>(
                List.of(php.toString(), "-d", "display_errors=stderr", script.toString(), url, message, tagsJson));
        command.addAll(List.of(metadata));
        return ChildProcess.start(command, Map.of("FORKCAST_WEBSOCKET_PHP", LIBRARY.toString()), dir);
    }

    private String phpSays(int exit, String url, String message, String tagsJson, String... metadata) throws Exception {
        try (var client = php(url, message, tagsJson, metadata)) {
            assertEquals(exit, client.awaitExit(WAIT), client.outputText());
            return String.join("\n", client.output()).strip();
        }
    }

    /** The next event of {@code type} (skipping others), failing after WAIT with what did come. */
    private static String next(WebSocketChatClient client, String type) throws InterruptedException {
        var skipped = new ArrayList<String>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (long left = WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String event = client.events().poll(left, TimeUnit.NANOSECONDS);
            if (event != null && event.contains("\"type\":\"" + type + "\"")) {
                return event;
            }
            if (event != null) {
                skipped.add(event);
            }
        }
        return fail(
                "no " + type + " event within " + WAIT + "; got " + skipped + "; closed: " + client.closedBecause());
    }

    @Test
    void thePhpClientsFrenchMessageReachesTheFrenchClientAndNotTheEnglishOne() throws Exception {
        try (var server = ForkcastServer.start();
                var fr = WebSocketChatClient.connect(URI.create(base(server)), FR);
                var en = WebSocketChatClient.connect(URI.create(base(server)), EN)) {
            next(fr, "welcome");
            next(en, "welcome");

            assertEquals(
                    "SENT {\"type\":\"sent\",\"receivers\":1}",
                    phpSays(0, base(server), "bonjour de PHP", "{\"language\":\"FR\"}"));
            String got = next(fr, "message");
            assertTrue(got.contains("\"message\":\"bonjour de PHP\""), got);
            assertTrue(got.contains("\"tags\":{\"language\":\"FR\"}"), got);

            // The negative: EN's first message is the marker sent after the French one, so that one never came.
            assertEquals(
                    "SENT {\"type\":\"sent\",\"receivers\":1}",
                    phpSays(0, base(server), "hello marker", "{\"language\":\"EN\"}"));
            String first = next(en, "message");
            assertTrue(first.contains("\"message\":\"hello marker\""), first);

            // And the Java client sends tagged too: FR and EN are both "language" but only one matches each time.
            assertEquals(1, en.sendTagged("from java", FR, null, null));
            assertTrue(next(fr, "message").contains("\"message\":\"from java\""));
            assertEquals(0, en.sendTagged("nobody", Map.of("language", "DE"), null, null));
        }
    }

    @Test
    void withSeed001sAuthFileThePhpClientNeedsAnApplicationsKeyAndSecretAndSaysWhy() throws Exception {
        Path auth = Files.writeString(dir.resolve("auth.yml"), AUTH_YML);
        try (var server = ForkcastServer.start("--ws-auth-file", auth.toString())) {
            var two = assertThrows(
                    WebSocketChatException.Refused.class,
                    () -> WebSocketChatClient.connect(
                            URI.create(base(server) + "?key=application2&secret=33yLWdynhaqm9tYjDFKf8gB8zmAPKdDP"),
                            FR));
            assertEquals(403, two.status(), two.getMessage());
            assertEquals("this application may not open connections", two.reason(), two.getMessage());

            try (var fr = WebSocketChatClient.connect(URI.create(base(server) + KEY1), FR)) {
                next(fr, "welcome");

                String unopened = phpSays(1, base(server), "no key", "{\"language\":\"FR\"}");
                assertTrue(unopened.startsWith("ERROR WebSocketRefused: opening "), unopened);
                assertTrue(unopened.contains("refused: HTTP 403: an application key and secret are needed"), unopened);

                String refused = phpSays(1, base(server) + KEY1, "no metadata", "{\"language\":\"FR\"}");
                assertTrue(refused.startsWith("ERROR WebSocketRefused: send refused by "), refused);
                assertTrue(
                        refused.endsWith(": metadata.key and metadata.secret of an application are needed"), refused);

                String wrong = phpSays(
                        1, base(server) + KEY1, "wrong secret", "{\"language\":\"FR\"}", "application2", "nope");
                assertTrue(wrong.endsWith(": unknown application key or wrong secret"), wrong);

                assertEquals(
                        "SENT {\"type\":\"sent\",\"receivers\":1}",
                        phpSays(
                                0,
                                base(server) + KEY1,
                                "from application2",
                                "{\"language\":\"FR\"}",
                                "application2",
                                "33yLWdynhaqm9tYjDFKf8gB8zmAPKdDP"));
                // FR's first message is the allowed one: the refused sends reached nobody.
                String first = next(fr, "message");
                assertTrue(first.contains("\"message\":\"from application2\""), first);
            }
            assertFalse(server.logText().contains("B4ajW3P7jfWEYPZsQV8mnteHg97G67uW"), "no secret logged");
            assertFalse(server.logText().contains("33yLWdynhaqm9tYjDFKf8gB8zmAPKdDP"), "no secret logged");
        }
    }

    @Test
    void aPhpSendWithNoServerSaysWhichAddressAndEnds() throws Exception {
        int port = Tools.freePort(); // nothing listens on it
        String said = phpSays(1, "ws://127.0.0.1:" + port + "/", "anyone?", "{\"language\":\"FR\"}");
        assertTrue(said.startsWith("ERROR WebSocketClosed: cannot connect to 127.0.0.1:" + port + ": "), said);
    }
}
