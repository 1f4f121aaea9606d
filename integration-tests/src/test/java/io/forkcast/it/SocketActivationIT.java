package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.systemd.NotifySocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket activation with Debian's systemd-socket-activate: it binds the port, waits for the first connection,
 * then execs scripts/forkcast with the listener on fd 3 and LISTEN_PID/LISTEN_FDS naming the supervisor.
 */
@Timeout(120)
class SocketActivationIT {

    /** Connects as soon as something listens on {@code port}; the server itself starts on this connection. */
    private static CompletableFuture<TelnetClient> connectWhenListening(int port) {
        return CompletableFuture.supplyAsync(() -> Await.until(
                Duration.ofSeconds(30),
                "a listener on " + port + "%s",
                () -> {
                    try {
                        return new TelnetClient("127.0.0.1", port);
                    } catch (IOException notYet) {
                        return null;
                    }
                },
                () -> ""));
    }

    @Test
    void theFirstConnectionStartsTheServerOnTheInheritedSocket() throws Exception {
        int port = Tools.stablePort();
        var first = connectWhenListening(port);
        try (var server = ForkcastServer.start(Tools.socketActivated(null, List.of(port)), Map.of(), List.of());
                var client = first.get(60, TimeUnit.SECONDS)) {
            assertEquals(port, server.port(), "READY names the inherited socket's port");
            server.awaitLog("event=ready listen=127.0.0.1:" + port + " activation=socket ");
            assertTrue(
                    client.expectLine(l -> l.startsWith("Welcome to forkcast")).contains("(pid "));
            // systemd-socket-activate execed the launcher, which execed the JVM: one pid all along.
            assertTrue(ProcessHandle.of(server.pid())
                    .orElseThrow()
                    .info()
                    .command()
                    .orElse("")
                    .endsWith("/java"));
            try (var second = server.join()) {
                String environ = SystemdIT.environOf(second.pid());
                assertFalse(environ.contains("LISTEN_FDS=") || environ.contains("LISTEN_PID="), environ);
                assertFalse(holdsSocket(second.pid(), socketInode(server.pid(), 3)), "worker holds the listener");
            }
        }
    }

    @Test
    void readyIsSentToSystemdOnceTheInheritedSocketIsServed() throws Exception {
        int port = Tools.stablePort();
        var first = connectWhenListening(port);
        try (var notify = NotifySocket.abstractNamed(
                        "forkcast-sa-" + ProcessHandle.current().pid());
                var server = ForkcastServer.start(
                        Tools.socketActivated(null, List.of(port), "NOTIFY_SOCKET=" + notify.name()),
                        Map.of(),
                        List.of());
                var client = first.get(60, TimeUnit.SECONDS)) {
            notify.expect(m -> m.startsWith("READY=1"), Duration.ofSeconds(30));
            client.expectLine(l -> l.startsWith("Welcome to forkcast"));
            notify.expect("STATUS=1 clients"::equals, Duration.ofSeconds(30));
            assertEquals(port, server.port());
        }
    }

    @Test
    void listenFdsMeantForAnotherProcessAreIgnored() throws Exception {
        try (var server = ForkcastServer.start(
                        List.of(ForkcastServer.HOME.resolve("scripts/forkcast").toString(), "run"),
                        Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1"),
                        List.of());
                var client = server.join()) {
            assertNotEquals(0, server.port());
            assertTrue(client.pid() > 0);
            assertFalse(server.logText().contains("activation=socket"), server.logText());
        }
    }

    /** Runs the launcher as a process whose LISTEN_PID is its own, with {@code fd3} redirected onto fd 3. */
    private static ConfigIT.Result activatedWith(String listenFds, String fd3) throws Exception {
        var dir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
        try {
            // exec keeps the shell's pid, so $$ names the supervisor's JVM as systemd's LISTEN_PID would.
            String script = "export LISTEN_PID=$$ LISTEN_FDS=" + listenFds
                    + "; exec \"$0\" run --port 0 --runtime-dir \"$1\" " + fd3;
            var builder = new ProcessBuilder(
                    "sh",
                    "-c",
                    script,
                    ForkcastServer.HOME.resolve("scripts/forkcast").toString(),
                    dir.resolve("run").toString());
            builder.environment().put("FORKCAST_NO_BUILD", "1");
            builder.environment().keySet().removeAll(ForkcastServer.SYSTEMD_VARIABLES);
            var process =
                    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            String err = new String(process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not exit");
            return new ConfigIT.Result(process.exitValue(), "", err);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anInheritedFdThatIsNotASocketIsOneLineAndExitCode2() throws Exception {
        var result = activatedWith("1", "3</dev/null");
        assertEquals(2, result.code(), result.stderr());
        assertEquals(
                "forkcast: socket activation: fd 3 is not an open socket (getsockopt failed)",
                result.stderr().strip());
    }

    @Test
    void moreThanFourInheritedSocketsIsOneLineAndExitCode2() throws Exception {
        // The chat port, the broker port, the WebSocket port and the MQTT port: a fifth is a unit that should not be
        // there.
        var result = activatedWith("5", "");
        assertEquals(2, result.code(), result.stderr());
        assertEquals(
                "forkcast: socket activation passed 5 sockets (); forkcast serves the chat port (forkcast.socket), the"
                        + " broker port (forkcast-broker.socket, FileDescriptorName=broker), the WebSocket port"
                        + " (forkcast-websocket.socket, FileDescriptorName=websocket) and the MQTT port"
                        + " (forkcast-mqtt.socket, FileDescriptorName=mqtt), one ListenStream= each",
                result.stderr().strip());
    }

    private static String socketInode(long pid, int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
    }

    private static boolean holdsSocket(long pid, String socket) throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(socket);
                } catch (IOException gone) {
                    return false;
                }
            });
        }
    }
}
