package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import io.forkcast.admin.AdminException;
import io.forkcast.admin.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin socket's protocol against a real supervisor and real telnet clients: every command and bad input. */
@Timeout(120)
class AdminIT {
    private static final Pattern LIST_LINE = Pattern.compile(
            "(\\d+) (\\S+) pid=(\\d+) name=(\\S+) age=\\d+ idle=\\d+ in=(\\d+) out=\\d+ queued=\\d+ room=lobby"
                    // The user (- for a guest), then what each worker costs, after the fields older parsers read.
                    + " user=\\S+ cpu=\\S+ rss=\\S+ pss=\\S+ threads=\\S+ fds=\\S+ kind=telnet");

    @Test
    void listShowsEveryClientWithTheFieldsThePhpParserNeeds() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var admin = RawAdmin.connect(RawAdmin.socketOf(server))) {
            b.send("/nick bob");
            b.expect("*** you are now known as bob");
            a.send("one line");
            b.expectLine(l -> l.endsWith("one line"));
            // LIST WEBSOCKETS names WebSocket clients only (WebSocketIT): these are telnet clients.
            assertEquals(List.of("=== START ===", "=== END ==="), admin.command("List WebSockets"));
            for (var command : List.of("LIST", "list clients")) {
                var reply = admin.command(command);
                assertEquals(4, reply.size(), reply.toString());
                assertEquals("=== START ===", reply.getFirst());
                assertEquals("=== END ===", reply.getLast());
                var first = LIST_LINE.matcher(reply.get(1));
                var second = LIST_LINE.matcher(reply.get(2));
                assertTrue(first.matches() && second.matches(), reply.toString());
                assertEquals(a.address(), first.group(2));
                assertEquals(Long.toString(a.pid()), first.group(3));
                assertEquals("-", first.group(4));
                assertEquals("1", first.group(5));
                assertEquals(b.address(), second.group(2));
                assertEquals("bob", second.group(4));
                assertTrue(Long.parseLong(second.group(1)) > Long.parseLong(first.group(1)));
            }
            String json = admin.single("LIST JSON");
            assertTrue(json.startsWith("OK {"), json);
            var clients = (List<?>) ((Map<?, ?>) Json.parse(json.substring(3))).get("clients");
            assertEquals(2, clients.size());
            var bob = (Map<?, ?>) clients.get(1);
            assertEquals(b.address(), bob.get("peer"));
            assertEquals("bob", bob.get("name"));
            assertNull(((Map<?, ?>) clients.get(0)).get("name"));
        }
    }

    @Test
    void sendMessageDeliversTheWholeRestOfTheLineToThatClientOnly() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var admin = RawAdmin.connect(RawAdmin.socketOf(server))) {
            long idA = RawAdmin.idOf(server, a);
            String text = "hello  there,   spaces kept\ttab and ünïcödé";
            assertEquals("OK", admin.single("SEND MESSAGE " + idA + " " + text));
            a.expect("*** admin: " + text);
            // Control characters never reach a terminal; CR LF ends the command like LF.
            admin.send("send message " + idA + " \u001b[31mred\u0007 bell\r\n");
            assertEquals("OK", admin.readLine());
            a.expect("*** admin: [31mred bell");
            assertEquals("ERROR Client Not Found", admin.single("SEND MESSAGE 999999 nobody"));
            assertEquals("ERROR Client Not Found", admin.single("SEND MESSAGE abc nobody"));
            assertTrue(admin.single("SEND MESSAGE " + idA).startsWith("ERROR usage"));
            assertTrue(admin.single("SEND MESSAGE " + idA + " " + "x".repeat(5000))
                    .startsWith("ERROR text too long: 5000 bytes, limit 4096"));
            a.send("marker");
            b.expect("[" + a.address() + "] (" + a.pid() + "): marker");
            assertFalse(
                    b.seen().stream().anyMatch(l -> l.contains("admin:")),
                    b.seen().toString());
            server.awaitLog("event=admin_action admin=\\d+ pid=\\d+ uid=\\d+ command=\"SEND MESSAGE " + idA);
        }
    }

    @Test
    void broadcastReachesEveryClientAndSaysHowMany() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
            assertEquals(2, admin.broadcast("server restarts at   noon"));
            a.expect("*** admin: server restarts at   noon");
            b.expect("*** admin: server restarts at   noon");
        }
    }

    @Test
    void kickTellsTheReasonDisconnectsAndIsCounted() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var admin = RawAdmin.connect(RawAdmin.socketOf(server))) {
            long idB = RawAdmin.idOf(server, b);
            assertEquals("OK", admin.single("KICK " + idB + " flooding   the channel"));
            var last = b.expectClosed(Duration.ofSeconds(10));
            assertTrue(last.contains("*** kicked by an operator: flooding   the channel"), last.toString());
            a.expect("*** " + b.address() + " (" + b.pid() + ") left");
            assertEquals("ERROR Client Not Found", admin.single("KICK " + idB));
            long idA = RawAdmin.idOf(server, a);
            assertEquals("OK", admin.single("kick " + idA));
            assertTrue(a.expectClosed(Duration.ofSeconds(10)).contains("*** kicked by an operator"));
            server.awaitLog("event=left worker=" + idA + " .*cause=kicked");
            try (var client = AdminClient.connect(RawAdmin.socketOf(server))) {
                var stats = client.stats();
                assertEquals(2, stats.get("kicked"));
                assertEquals(2, stats.get("left_kicked"));
                assertEquals(0, stats.clients());
            }
        }
    }

    @Test
    void statsHelpQuitAndUnknownCommandsEachGetACompleteReply() throws Exception {
        // No pool, so that the worker counts are exact.
        try (var server = ForkcastServer.start("--pool-min-spare", "0");
                var a = server.join();
                var admin = RawAdmin.connect(RawAdmin.socketOf(server))) {
            var stats = admin.command("STATS");
            assertEquals("=== START ===", stats.getFirst());
            assertEquals("=== END ===", stats.getLast());
            var body = stats.subList(1, stats.size() - 1);
            assertTrue(body.stream().allMatch(l -> l.matches("[a-z_]+=\\d+")), body.toString());
            for (var key : List.of(
                    "uptime=",
                    "clients=1",
                    "workers=1",
                    "spawned=1",
                    "exited_clean=0",
                    "exited_signal=0",
                    "left_quit=0",
                    "frames_relayed=",
                    "bytes_relayed=",
                    "dropped_slow=0",
                    "frames_rejected=0",
                    "spares_idle=0",
                    "admin_connections=1",
                    "admin_accepted=1")) {
                assertTrue(body.stream().anyMatch(l -> l.startsWith(key)), key + " in " + body);
            }
            var json = (Map<?, ?>) Json.parse(admin.single("stats json").substring(3));
            assertEquals(1L, json.get("clients"));
            var help = admin.command("help");
            assertTrue(help.size() > 8 && help.get(1).startsWith("LIST"), help.toString());
            assertEquals("ERROR unknown command, try HELP", admin.single("FROBNICATE now"));
            assertEquals("ERROR unknown command, try HELP", admin.single("LISTX"));
            assertTrue(admin.single("").startsWith("ERROR empty command"));
            assertTrue(admin.single("LIST EVERYTHING").startsWith("ERROR usage: LIST"));
            assertEquals("OK bye", admin.single("QUIT"));
            admin.expectClosed();
            a.send("/who");
            a.expect("*** 1 person in #lobby:");
        }
    }

    @Test
    void badInputGetsAnErrorOrACloseAndTheServerGoesOn() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            Path socket = RawAdmin.socketOf(server);
            try (var admin = RawAdmin.connect(socket)) {
                admin.sendBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 'L', 'I', (byte) 0xc3, '\n'});
                assertEquals("ERROR not UTF-8 text", admin.readLine());
                admin.sendBytes(new byte[] {0, 1, 2, 3, 27, '[', 'A', '\n'});
                assertEquals("ERROR unknown command, try HELP", admin.readLine());
                // A line of exactly 64 KiB is a line; the text is refused for its length, not the connection.
                String longest = "SEND MESSAGE 1 " + "y".repeat(64 * 1024 - "SEND MESSAGE 1 ".length());
                assertTrue(admin.single(longest).startsWith("ERROR text too long: 65521 bytes"));
                assertEquals("=== START ===", admin.command("LIST").getFirst());
            }
            try (var admin = RawAdmin.connect(socket)) {
                admin.send("LIST " + "z".repeat(64 * 1024 + 10));
                assertEquals("ERROR line too long (limit 65536 bytes)", admin.readLine());
                admin.expectClosed();
            }
            server.awaitLog("event=admin_line_too_long admin=\\d+ .*limit=65536");
            try (var admin = RawAdmin.connect(socket)) {
                admin.send("SEND MESSAGE 1 half a comm");
                admin.shutdownOutput();
                assertEquals(
                        "ERROR incomplete command: the connection ended before the end of the line", admin.readLine());
                admin.expectClosed();
            }
            try (var admin = RawAdmin.connect(socket)) {
                // Pipelined commands in one write, each answered in order.
                admin.send("STATS JSON\nLIST JSON\r\nHELP\nQUIT\n");
                assertTrue(admin.reply().getFirst().startsWith("OK {\"uptime\":"));
                assertTrue(admin.reply().getFirst().startsWith("OK {\"clients\":["));
                assertTrue(admin.reply().size() > 8);
                assertEquals("OK bye", admin.readLine());
                admin.expectClosed();
            }
            assertTrue(server.process().isAlive());
            a.send("still chatting");
            b.expect("[" + a.address() + "] (" + a.pid() + "): still chatting");
        }
    }

    @Test
    void theCommandLineExitsZeroOnOkOneOnErrorTwoWithoutAServer() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join()) {
            String dir = server.runtimeDir().toString();
            var list = CommandLineIT.run("admin", "--runtime-dir", dir, "LIST");
            assertEquals(0, list.code(), list.stderr());
            assertTrue(
                    list.stdout().startsWith(RawAdmin.idOf(server, a) + " " + a.address() + " pid=" + a.pid()),
                    list.stdout());
            var send = CommandLineIT.run(
                    "admin",
                    "--runtime-dir",
                    dir,
                    "send",
                    "message",
                    Long.toString(RawAdmin.idOf(server, a)),
                    "from",
                    "the",
                    "shell");
            assertEquals(0, send.code(), send.stderr());
            assertEquals("OK", send.stdout().strip());
            a.expect("*** admin: from the shell");
            var missing = CommandLineIT.run("admin", "--runtime-dir", dir, "SEND", "MESSAGE", "4242", "x");
            assertEquals(1, missing.code());
            assertEquals("ERROR Client Not Found", missing.stderr().strip());
            var unknown = CommandLineIT.run("admin", "--runtime-dir", dir, "FROB");
            assertEquals(1, unknown.code());
        }
        var nowhere = CommandLineIT.run("admin", "--socket", "/nonexistent/admin.sock", "LIST");
        assertEquals(2, nowhere.code());
        assertEquals(
                "forkcast: no admin socket at /nonexistent/admin.sock (is forkcast running, and with that"
                        + " --runtime-dir?)",
                nowhere.stderr().strip());
    }

    @Test
    void aLineBreakInAnyArgumentIsRefusedAndNothingIsSent() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            String dir = server.runtimeDir().toString();
            String idA = Long.toString(RawAdmin.idOf(server, a));
            for (String smuggled : List.of("hi\nKICK " + idA, "hi\rKICK " + idA)) {
                var result = CommandLineIT.run("admin", "--runtime-dir", dir, "SEND", "MESSAGE", idA, smuggled);
                assertEquals(2, result.code(), result.stdout() + result.stderr());
                assertEquals(
                        "forkcast: argument 4 of the command contains a line break (CR or LF); an admin command is"
                                + " one line",
                        result.stderr().strip());
            }
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                var refused = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> admin.command("LIST\nKICK " + idA));
                assertEquals(
                        "the command contains a line break (CR or LF); an admin command is one line",
                        refused.getMessage());
                assertEquals(2, admin.list().size());
            }
            a.send("still here");
            b.expect("[" + a.address() + "] (" + a.pid() + "): still here");
            assertFalse(
                    a.seen().stream().anyMatch(l -> l.contains("admin:")),
                    a.seen().toString());
            assertEquals(0, server.countLog("event=admin_action .*command=\"(KICK|SEND)"), server.logText());
        }
    }

    @Test
    void theJavaClientSaysWhatWentWrong() throws Exception {
        try (var server = ForkcastServer.start();
                var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
            var notFound = org.junit.jupiter.api.Assertions.assertThrows(
                    AdminException.ClientNotFound.class, () -> admin.send(777, "hi"));
            assertEquals("SEND MESSAGE: no client with id 777", notFound.getMessage());
            assertEquals(0, admin.list().size());
            assertTrue(admin.stats().uptimeSeconds() >= 0);
        }
        try (var silent = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            Path path = Files.createTempDirectory(Path.of("/tmp"), "fc-").resolve("silent.sock");
            silent.bind(java.net.UnixDomainSocketAddress.of(path));
            try (var client = AdminClient.connect(path, Duration.ofMillis(300))) {
                var timeout = org.junit.jupiter.api.Assertions.assertThrows(AdminException.Timeout.class, client::list);
                assertEquals("no reply from admin socket " + path + " within 300 ms to LIST", timeout.getMessage());
            } finally {
                Files.delete(path);
                Files.delete(path.getParent());
            }
        }
    }

    @Test
    void anUnknownAdminGroupIsOneLineAndExitCode2() throws Exception {
        var result = CommandLineIT.run(
                "run",
                "--port",
                "0",
                "--ws-port",
                "0",
                "--admin-group",
                "no-such-group-here",
                "--runtime-dir",
                Files.createTempDirectory(Path.of("/tmp"), "fc-").resolve("run").toString());
        assertEquals(2, result.code(), result.stderr());
        assertEquals(
                "forkcast: bad value for --admin-group: no group named no-such-group-here",
                result.stderr().strip());
    }

    // ---- Who may connect: SO_PEERCRED, checked as other uids ----

    @Test
    void aUserWhoIsNotAllowedIsRefusedAndTheRefusalLogged() throws Exception {
        Path setpriv = canSwitchUid();
        try (var server = ForkcastServer.start()) {
            // Open the file-system path for this test, so that the refusal comes from the supervisor, not the kernel.
            Path socket = RawAdmin.socketOf(server);
            Files.setPosixFilePermissions(
                    server.runtimeDir().getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(server.runtimeDir(), PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            var result = adminCliAs(setpriv, server, 65534, 65534, "LIST");
            assertEquals(2, result.code(), result.output());
            assertTrue(result.output().contains("refused this user (uid 65534): permission denied"), result.output());
            server.awaitLog("WARN .*event=admin_refused pid=\\d+ uid=65534 gid=65534 reason=permission");
            try (var admin = AdminClient.connect(socket)) {
                assertEquals(1, admin.stats().get("admin_refused"));
            }
        }
    }

    @Test
    void membersOfTheAdminGroupGetInOthersDoNot() throws Exception {
        Path setpriv = canSwitchUid();
        int gid = groupId("users");
        try (var server = ForkcastServer.start("--admin-group", "users")) {
            Path socket = RawAdmin.socketOf(server);
            assertEquals(
                    "rwx--x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.runtimeDir())));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(gid, (Integer) Files.getAttribute(socket, "unix:gid"));
            assertEquals(gid, (Integer) Files.getAttribute(server.runtimeDir(), "unix:gid"));
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(server.runtimeDir().resolve("hub.sock"))));
            // The temporary directory above the runtime directory is the test's own: let other users through.
            Files.setPosixFilePermissions(
                    server.runtimeDir().getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            var member = adminCliAs(setpriv, server, 65534, gid, "STATS");
            assertEquals(0, member.code(), member.output());
            assertTrue(member.output().contains("admin_accepted=1"), member.output());
            var stranger = adminCliAs(setpriv, server, 65534, 65534, "STATS");
            assertEquals(2, stranger.code(), stranger.output());
            assertTrue(stranger.output().contains("Permission denied"), stranger.output());
        }
    }

    record Output(int code, String output) {}

    private static Path canSwitchUid() throws Exception {
        if (Tools.uid() != 0) {
            Tools.unavailable("checking the admin socket as other users needs root (to switch uid)");
        }
        return Tools.require("setpriv", "checking the admin socket as other users");
    }

    private static int groupId(String name) throws Exception {
        for (var line : Files.readAllLines(Path.of("/etc/group"))) {
            var fields = line.split(":", -1);
            if (fields.length > 2 && fields[0].equals(name)) {
                return Integer.parseInt(fields[2]);
            }
        }
        Tools.unavailable("the admin-group test needs a group named " + name + " in /etc/group");
        return -1;
    }

    /** Runs the admin command line as uid:gid with no supplementary groups, from a jar that user can read. */
    private static Output adminCliAs(Path setpriv, ForkcastServer server, int uid, int gid, String command)
            throws Exception {
        Path jar = server.runtimeDir().getParent().resolve("admin.jar");
        if (!Files.exists(jar)) {
            try (var jars = Files.list(ForkcastServer.HOME.resolve("admin/target"))) {
                Files.copy(
                        jars.filter(p -> p.getFileName().toString().matches("forkcast-admin-.*\\.jar"))
                                .findFirst()
                                .orElseThrow(),
                        jar);
            }
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (var cli = ChildProcess.start(
                List.of(
                        setpriv.toString(),
                        "--reuid=" + uid,
                        "--regid=" + gid,
                        "--clear-groups",
                        "--",
                        java,
                        "-XX:-UsePerfData",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        jar.toString(),
                        "io.forkcast.admin.AdminCli",
                        "--socket",
                        RawAdmin.socketOf(server).toString(),
                        command),
                Map.of(),
                Path.of("/"))) {
            int code = cli.awaitExit(Duration.ofSeconds(60));
            return new Output(code, String.join("\n", cli.output()));
        }
    }
}
