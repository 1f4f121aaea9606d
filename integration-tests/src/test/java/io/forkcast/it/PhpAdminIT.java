package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.Json;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PHP side under Debian's php: the tutorial's ServiceSocket class exactly as printed in seed 003, our own
 * socket class on a server that is silent or hangs up, and the pages of scripts/admin/php served by
 * {@code php -S} (the shared contract in {@link AdminPageContract}).
 */
class PhpAdminIT extends AdminDashboardContract {
    private static final Path PAGES = ForkcastServer.HOME.resolve("scripts/admin/php");

    static Path php() {
        return Tools.require("php", "the PHP admin pages' tests");
    }

    static Path resource(String name) throws Exception {
        return Path.of(PhpAdminIT.class.getResource("/" + name).toURI());
    }

    @Override
    String name() {
        return "php";
    }

    @Override
    Page open(ForkcastServer server) throws Exception {
        Path php = php();
        int port = Tools.freePort();
        var process = ChildProcess.start(
                List.of(php.toString(), "-S", "127.0.0.1:" + port, "-t", PAGES.toString()),
                Map.of("FORKCAST_ADMIN_SOCKET", RawAdmin.socketOf(server).toString()),
                PAGES);
        try {
            process.awaitOutput(
                    "Development Server \\(http://127\\.0\\.0\\.1:" + port + "\\) started", Duration.ofSeconds(30));
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
        return new Page() {
            @Override
            public String url(String path) {
                return "http://127.0.0.1:" + port + "/" + path;
            }

            @Override
            public String pageUrl() {
                return url("admin.php");
            }

            @Override
            public void close() {
                process.close();
            }
        };
    }

    /** Runs a PHP script to its end and returns the one JSON line it prints. */
    private static Map<?, ?> runPhp(Duration timeout, String... args) throws Exception {
        var command = new ArrayList<>(List.of(php().toString(), "-d", "display_errors=stderr"));
        command.addAll(List.of(args));
        try (var process = ChildProcess.start(command, Map.of(), null)) {
            int code = process.awaitExit(timeout);
            assertEquals(0, code, process.outputText());
            var json = process.output().stream()
                    .filter(l -> l.startsWith("{"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no JSON line; " + process.outputText()));
            return (Map<?, ?>) Json.parse(json);
        }
    }

    @Test
    void theTutorialsServiceSocketClassWorksUnchangedAgainstOurSocket() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            b.send("/nick bob");
            b.expect("*** you are now known as bob");
            var opening = RawWebSocket.open(server.host(), server.wsPort(), "/");
            assertEquals(101, opening.status(), opening.head());
            try (var browser = opening.session()) {
                String welcome = browser.expect("\"type\":\"welcome\"");
                String id = welcome.replaceAll(".*\"id\":(\\d+).*", "$1");
                // The tutorial's client spins for ever on a missing reply: the timeout here is the test's failure.
                var result = runPhp(
                        Duration.ofSeconds(30),
                        resource("php003/list-and-send.php").toString(),
                        RawAdmin.socketOf(server).toString(),
                        id,
                        "hello  from 003, spaces kept");
                // 003 lists with LIST WEBSOCKETS: the browser, not the telnet clients.
                assertEquals(List.of(Map.of("clientId", id, "host", browser.address())), result.get("list"));
                assertEquals(true, result.get("sent"));
                assertEquals("Client Not Found", result.get("unknown"));
                browser.expect("\"type\":\"admin\"", "\"message\":\"hello  from 003, spaces kept\"");
            }
            // A telnet client messaged the same way sees the admin line.
            try (var admin = io.forkcast.admin.AdminClient.connect(RawAdmin.socketOf(server))) {
                admin.send(RawAdmin.idOf(server, a), "to telnet");
            }
            a.expect("*** admin: to telnet");
        }
    }

    @Test
    void ourSocketClassListsRoomsAndSendsToOneRoomOrEveryone() throws Exception {
        try (var server = ForkcastServer.start("--rooms", "quiet \"nobody here\"");
                var a = server.join();
                var b = server.join()) {
            b.send("/join Dev");
            b.expect("*** you are now in #Dev");
            var result = runPhp(
                    Duration.ofSeconds(30),
                    resource("php/rooms-our-socket.php").toString(),
                    PAGES.resolve("classes/ServiceSocket.class.php").toString(),
                    RawAdmin.socketOf(server).toString(),
                    "#dev",
                    "to  dev");
            assertEquals(
                    List.of(
                            Map.of("name", "quiet", "members", 0L, "topic", "nobody here"),
                            Map.of("name", "lobby", "members", 1L),
                            Map.of("name", "Dev", "members", 1L)),
                    ((List<?>) result.get("rooms"))
                            .stream()
                                    .map(r -> {
                                        var m = new java.util.HashMap<>((Map<?, ?>) r);
                                        m.values().removeIf(v -> v == null);
                                        return m;
                                    })
                                    .toList());
            assertEquals(1L, result.get("sent"));
            assertEquals("Room Not Found", result.get("unknown"));
            assertEquals("Room Not Found", result.get("smuggled"));
            assertEquals(2L, result.get("broadcast"));
            assertTrue(
                    String.valueOf(result.get("tooLong")).startsWith("text too long: 5000 bytes"), result.toString());
            assertEquals(
                    List.of(
                            Map.of(
                                    "clientId",
                                    Long.toString(RawAdmin.idOf(server, a)),
                                    "host",
                                    a.address(),
                                    "room",
                                    "lobby"),
                            Map.of(
                                    "clientId",
                                    Long.toString(RawAdmin.idOf(server, b)),
                                    "host",
                                    b.address(),
                                    "room",
                                    "Dev")),
                    result.get("clients"));
            b.expect("*** admin: to  dev");
            b.expect("*** admin: to all from php");
            assertEquals("*** admin: to all from php", a.expectLine(l -> l.startsWith("*** admin:")));
        }
    }

    @Test
    void ourSocketClassRefusesALineBreakInACommandInsteadOfRunningTwo() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join()) {
            long idA = RawAdmin.idOf(server, a);
            var result = runPhp(
                    Duration.ofSeconds(30),
                    resource("php/command-with-line-break.php").toString(),
                    PAGES.resolve("classes/ServiceSocket.class.php").toString(),
                    RawAdmin.socketOf(server).toString(),
                    Long.toString(idA));
            assertEquals(
                    "the command contains a line break (CR or LF); an admin command is one line",
                    result.get("exception"),
                    result.toString());
            assertEquals(1L, result.get("clients"));
            assertTrue(
                    a.seen().stream().noneMatch(l -> l.contains("admin:") || l.contains("kicked")),
                    a.seen().toString());
            assertEquals(0, server.countLog("event=admin_action .*command=\"(KICK|SEND)"), server.logText());
        }
    }

    @Test
    void ourSocketClassGivesUpOnASilentServerInsteadOfSpinning() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
        Path path = dir.resolve("silent.sock");
        try (var silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(path));
            long started = System.nanoTime();
            var result = runPhp(
                    Duration.ofSeconds(30),
                    resource("php/ask-our-socket.php").toString(),
                    PAGES.resolve("classes/ServiceSocket.class.php").toString(),
                    path.toString(),
                    "1");
            assertEquals("no reply from admin socket " + path + " within 1 s", result.get("exception"));
            assertTrue(System.nanoTime() - started >= 1_000_000_000L, "gave up before its timeout");
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @Test
    void ourSocketClassReportsAServerThatHangsUp() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
        Path path = dir.resolve("rude.sock");
        try (var rude = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            rude.bind(UnixDomainSocketAddress.of(path));
            var hangUp = Thread.ofPlatform().start(() -> {
                try (var peer = rude.accept()) {
                    peer.read(ByteBuffer.allocate(1024));
                } catch (java.io.IOException ignored) {
                    // Closing is all it does.
                }
            });
            var result = runPhp(
                    Duration.ofSeconds(30),
                    resource("php/ask-our-socket.php").toString(),
                    PAGES.resolve("classes/ServiceSocket.class.php").toString(),
                    path.toString(),
                    "20");
            assertEquals("admin socket " + path + " closed the connection before replying", result.get("exception"));
            hangUp.join();
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    @Test
    void ourSocketClassSaysWhenThereIsNoServer() throws Exception {
        var result = runPhp(
                Duration.ofSeconds(30),
                resource("php/ask-our-socket.php").toString(),
                PAGES.resolve("classes/ServiceSocket.class.php").toString(),
                "/nonexistent/admin.sock",
                "5");
        assertEquals(
                "cannot connect to admin socket /nonexistent/admin.sock: No such file or directory",
                result.get("exception"));
    }
}
