package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.systemd.NotifySocket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor under systemd's eyes, with a real datagram socket standing in for NOTIFY_SOCKET: readiness,
 * status, watchdog pings from the relay loop, reload and stop notices, and journald priority prefixes.
 */
@Timeout(120)
class SystemdIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static List<String> launcher() {
        return List.of(ForkcastServer.HOME.resolve("scripts/forkcast").toString(), "run");
    }

    private static NotifySocket abstractSocket() throws IOException {
        return NotifySocket.abstractNamed(
                "forkcast-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    }

    static String environOf(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
                .replace('\0', '\n');
    }

    @Test
    void readyIsTheFirstNoticeAndStatusFollowsTheClients() throws Exception {
        try (var notify = NotifySocket.atPath(dir.resolve("notify"));
                var server = ForkcastServer.start(launcher(), Map.of("NOTIFY_SOCKET", notify.name()), List.of())) {
            assertEquals("READY=1\nSTATUS=0 clients", notify.next(WAIT));
            try (var a = server.join()) {
                assertEquals("STATUS=1 clients", notify.next(WAIT));
                try (var b = server.join()) {
                    assertEquals("STATUS=2 clients", notify.next(WAIT));
                    for (long worker : List.of(a.pid(), b.pid())) {
                        String environ = environOf(worker);
                        assertFalse(environ.contains("NOTIFY_SOCKET="), environ);
                    }
                }
                assertEquals("STATUS=1 clients", notify.next(WAIT));
            }
            assertEquals("STATUS=0 clients", notify.next(WAIT));
        }
    }

    @Test
    void watchdogPingsComeWhileTheRelayLoopRunsAndStopWhileItCannot() throws Exception {
        try (var notify = abstractSocket();
                var server = ForkcastServer.start(
                        launcher(), Map.of("NOTIFY_SOCKET", notify.name(), "WATCHDOG_USEC", "400000"), List.of())) {
            notify.expect(m -> m.startsWith("READY=1"), WAIT);
            server.awaitLog("event=ready .*watchdog_ms=400");
            for (int i = 0; i < 3; i++) {
                notify.expect("WATCHDOG=1"::equals, Duration.ofSeconds(5));
            }
            ForkcastServer.kill(server.pid(), "STOP");
            try {
                Await.until(WAIT, "supervisor stopped", () -> state(server.pid()) == 'T');
                while (notify.next(Duration.ZERO) != null) {
                    // Pings sent before the stop took hold.
                }
                // Six ping periods without a turn of the loop: no ping.
                assertNull(notify.next(Duration.ofMillis(1200)));
            } finally {
                ForkcastServer.kill(server.pid(), "CONT");
            }
            notify.expect("WATCHDOG=1"::equals, Duration.ofSeconds(5));
        }
    }

    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    @Test
    void aReloadIsAnnouncedWithItsMonotonicTimeThenReadyAgain() throws Exception {
        try (var notify = abstractSocket();
                var server = ForkcastServer.start(launcher(), Map.of("NOTIFY_SOCKET", notify.name()), List.of())) {
            notify.expect(m -> m.startsWith("READY=1"), WAIT);
            // Both JVMs read System.nanoTime() from CLOCK_MONOTONIC, the clock systemd compares against.
            long before = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            server.signal("HUP");
            String reloading = notify.next(WAIT);
            long after = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
            var fields = reloading.lines().toList();
            assertEquals("RELOADING=1", fields.get(0), reloading);
            assertTrue(fields.get(1).startsWith("MONOTONIC_USEC="), reloading);
            long usec = Long.parseLong(fields.get(1).substring("MONOTONIC_USEC=".length()));
            assertTrue(before <= usec && usec <= after, before + " <= " + usec + " <= " + after);
            assertEquals("READY=1\nSTATUS=0 clients", notify.next(WAIT));
            server.awaitLog("event=reload changed=- ignored=- clients=0");
        }
    }

    @Test
    void stoppingIsAnnouncedOnTermAndTheServerExitsCleanly() throws Exception {
        try (var notify = abstractSocket();
                var server = ForkcastServer.start(launcher(), Map.of("NOTIFY_SOCKET", notify.name()), List.of());
                var client = server.join()) {
            notify.expect("STATUS=1 clients"::equals, WAIT);
            server.signal("TERM");
            assertEquals("STOPPING=1\nSTATUS=stopping", notify.expect(m -> m.startsWith("STOPPING=1"), WAIT));
            client.expectLine("*** server shutting down"::equals);
            assertTrue(server.process().waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, server.process().exitValue());
        }
    }

    @Test
    void withoutSystemdNothingIsSaidAboutIt() throws Exception {
        try (var server = ForkcastServer.start();
                var client = server.join()) {
            client.send("/quit");
            server.awaitLog("event=left .*cause=quit");
            for (String line : server.log()) {
                assertFalse(line.contains("notify") || line.contains("watchdog") || line.contains("activation"), line);
            }
        }
    }

    @Test
    void underJournaldEveryLineStartsWithItsSyslogPriority() throws Exception {
        Path conf = Files.write(dir.resolve("forkcast.conf"), List.of("max_line_bytes = 100"));
        try (var server = ForkcastServer.start(
                launcher(), Map.of("JOURNAL_STREAM", "8:4242"), List.of("--config", conf.toString()))) {
            try (var client = server.join()) {
                // A stranger on the hub socket is a warning; a config file gone bad at reload is an error.
                try (var stranger = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    stranger.connect(
                            UnixDomainSocketAddress.of(server.runtimeDir().resolve("hub.sock")));
                    server.awaitLog("event=hub_refused ");
                }
                Files.write(conf, List.of("max_line_bytes = lots"));
                server.signal("HUP");
                server.awaitLog("event=reload_failed ");
                client.send("/quit");
                server.awaitLog("event=exit worker=1 ");
            }
            server.signal("TERM");
            assertTrue(server.process().waitFor(20, TimeUnit.SECONDS));
            server.awaitLog("event=stopped ");
            for (String line : server.log()) {
                assertTrue(line.matches("<[0-7]>role=(supervisor|worker) pid=\\d+ event=.*"), line);
            }
            server.awaitLog("^<6>role=supervisor pid=\\d+ event=ready ");
            server.awaitLog("^<6>role=worker pid=\\d+ event=welcome ");
            server.awaitLog("^<4>role=supervisor pid=\\d+ event=hub_refused ");
            server.awaitLog("^<3>role=supervisor pid=\\d+ event=reload_failed ");
        }
    }

    @Test
    void underJournaldAStartupProblemIsAnErrorLine() throws Exception {
        var result = ConfigIT.run(Map.of("JOURNAL_STREAM", "8:4242"), "run", "--frobnicate", "7");
        assertEquals(2, result.code());
        assertEquals(
                "<3>forkcast: unknown option --frobnicate (scripts/forkcast help lists the options)",
                result.stderr().strip());
    }

    @Test
    void elsewhereEveryLineStartsWithATimestampAndLevel() throws Exception {
        try (var server = ForkcastServer.start();
                var client = server.join()) {
            client.send("/quit");
            server.awaitLog("event=exit worker=1 ");
            for (String line : server.log()) {
                assertTrue(
                        line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[.\\d]*Z (INFO|WARN|ERROR) role=.*"),
                        line);
            }
        }
    }
}
