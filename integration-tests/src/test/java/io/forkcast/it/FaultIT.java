package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A crashing, lying, stalling or flooding peer costs itself only: the supervisor and other clients go on. */
@Timeout(120)
class FaultIT {

    private static void assertStillChatting(TelnetClient from, TelnetClient to, String text) throws Exception {
        from.send(text);
        to.expect("[" + from.address() + "] (" + from.pid() + "): " + text);
    }

    @Test
    void killingOneWorkerTellsTheOthersItLeft() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var c = server.join()) {
            a.expectLine(l -> l.contains("(" + c.pid() + ") joined"));
            ForkcastServer.kill(b.pid(), "KILL");
            a.expect("*** " + b.address() + " (" + b.pid() + ") left");
            c.expect("*** " + b.address() + " (" + b.pid() + ") left");
            b.expectClosed(Duration.ofSeconds(10));
            server.awaitLog("event=exit worker=\\d+ pid=" + b.pid() + " signal=9");
            assertStillChatting(a, c, "still here");
        }
    }

    @Test
    void aClientPastWorkersMaxIsToldTheServerIsFullAndClosedWhileOthersStay() throws Exception {
        try (var server = ForkcastServer.start("--workers-max", "1", "--pool-min-spare", "0");
                var a = server.join();
                var refused = server.connect()) {
            refused.expect("*** server full, please try again later");
            refused.expectClosed(Duration.ofSeconds(10));
            server.awaitLog("event=refused peer=\\S+ reason=full clients=1 limit=1");
            a.send("/who *");
            a.expect("*** 1 person connected:");
        }
    }

    @Test
    void garbageOnTheHubSocketFromAStrangerIsRefused() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join()) {
            a.expectLine(l -> l.endsWith("joined"));
            try (var stranger = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                stranger.connect(UnixDomainSocketAddress.of(server.runtimeDir().resolve("hub.sock")));
                try {
                    stranger.write(ByteBuffer.wrap(
                            "GET / HTTP/1.0\r\n\r\n\u0000\u00ff garbage".getBytes(StandardCharsets.ISO_8859_1)));
                } catch (java.io.IOException closedAlready) {
                    // The supervisor may close before the garbage is even written.
                }
                server.awaitLog(
                        "event=hub_refused pid=" + ProcessHandle.current().pid() + " .*reason=not_a_worker");
                // The supervisor closed it: a read sees end of stream (or a reset, as it left data unread).
                int read;
                try {
                    read = stranger.read(ByteBuffer.allocate(64));
                } catch (java.io.IOException reset) {
                    read = -1;
                }
                assertEquals(-1, read);
            }
            assertStillChatting(a, b, "unaffected");
            assertTrue(server.process().isAlive());
        }
    }

    @Test
    void aWorkerThatSendsACorruptFrameIsKilledAndNobodyElseNotices() throws Exception {
        String classpath = workerClasspath() + ":" + System.getProperty("java.class.path");
        // No pool: the corrupting worker is the first one spawned for a client.
        try (var server = ForkcastServer.start(
                        "--worker-main",
                        "io.forkcast.it.CorruptingWorker",
                        "--worker-classpath",
                        classpath,
                        "--pool-min-spare",
                        "0");
                var bad = server.connect()) {
            String hello = bad.expectLine(l -> l.startsWith("corrupting worker pid"));
            long badPid = Long.parseLong(hello.substring(hello.lastIndexOf(' ') + 1));
            try (var a = server.join();
                    var b = server.join()) {
                a.expectLine(l -> l.contains("(" + b.pid() + ") joined"));
                bad.send("now");
                String line = server.awaitLog("event=worker_rejected worker=\\d+ pid=" + badPid + " .*reason=bad_crc");
                assertTrue(line.contains("head=4643"), line);
                a.expect("*** 127.0.0.1:" + port(bad) + " (" + badPid + ") left");
                Await.until(Duration.ofSeconds(10), "corrupting worker killed", () -> !ForkcastServer.alive(badPid));
                assertStillChatting(a, b, "nothing happened");
                assertFalse(a.seen().stream().anyMatch(l -> l.contains("never relayed")));
            }
        }
    }

    private static int port(TelnetClient client) {
        return client.socket().getLocalPort();
    }

    static String workerClasspath() throws Exception {
        var jars = new ArrayList<String>();
        for (var dir : List.of("worker/target", "worker/target/lib")) {
            try (var files = java.nio.file.Files.list(ForkcastServer.HOME.resolve(dir))) {
                files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
            }
        }
        return String.join(":", jars);
    }

    /**
     * Floods {@code lines} numbered lines of {@code pad} from {@code flooder}, paced to {@code reader} (never more than
     * {@code ahead} lines in front of it), and checks that the reader gets every one, in order. A line saying that
     * {@code gone} left may come in between; returns whether it did.
     */
    private static boolean floodPacedToReader(
            TelnetClient flooder, TelnetClient reader, int lines, String pad, int ahead, String gone) throws Exception {
        var received = new java.util.concurrent.atomic.AtomicInteger();
        int block = ahead / 3;
        var sender = Thread.ofPlatform().start(() -> {
            try {
                var text = new StringBuilder();
                int sent = 0;
                for (int i = 1; i <= lines; i++) {
                    text.append(i).append(' ').append(pad).append("\r\n");
                    if (i % block == 0 || i == lines) {
                        int before = sent;
                        Await.until(
                                Duration.ofSeconds(60), "reader to catch up", () -> received.get() >= before - ahead);
                        flooder.sendRaw(text.toString().getBytes(StandardCharsets.US_ASCII));
                        text.setLength(0);
                        sent = i;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String prefix = "[" + flooder.address() + "] (" + flooder.pid() + "): ";
        boolean goneSeen = false;
        for (int i = 1; i <= lines; i++) {
            String line = reader.readLine();
            if (gone.equals(line)) {
                goneSeen = true;
                line = reader.readLine();
            }
            assertEquals(prefix + i + " " + pad, line);
            received.set(i);
        }
        sender.join();
        return goneSeen;
    }

    @Test
    void aClientThatNeverReadsIsDroppedWhileOthersReceiveEverything() throws Exception {
        try (var server = ForkcastServer.start(
                        "--flood-lines-per-second",
                        "1000000",
                        "--flood-burst",
                        "1000000",
                        "--flood-bytes-per-second",
                        "0");
                var reader = server.join();
                var flooder = server.join()) {
            var stalled = server.connect();
            stalled.socket().setReceiveBufferSize(4096);
            try (stalled) {
                String banner = stalled.expectLine(l -> l.startsWith("Welcome to forkcast"));
                String pid = banner.replaceAll(".*\\(pid (\\d+)\\).*", "$1");
                String gone = "*** 127.0.0.1:" + stalled.socket().getLocalPort() + " (" + pid + ") left";
                reader.expectLine(l -> l.endsWith("(" + pid + ") joined"));
                // 3.6 MB: more than the stalled client's worker holds (1 MiB of its own plus a bounded socket buffer).
                if (!floodPacedToReader(flooder, reader, 4000, "p".repeat(900), 600, gone)) {
                    reader.expect(gone);
                }
                server.awaitLog("event=client_slow .*limit=1048576");
            }
        }
    }

    @Test
    void aStalledWorkerIsDroppedWhenItsOutboxFillsAndNobodyWaitsForIt() throws Exception {
        try (var server = ForkcastServer.start(
                        "--outbox-max-bytes",
                        "262144",
                        "--flood-lines-per-second",
                        "1000000",
                        "--flood-burst",
                        "1000000",
                        "--flood-bytes-per-second",
                        "0");
                var reader = server.join();
                var flooder = server.join();
                var stalled = server.join()) {
            reader.expectLine(l -> l.contains("(" + stalled.pid() + ") joined"));
            ForkcastServer.kill(stalled.pid(), "STOP");
            // 2 MB, paced to the healthy reader: past the stalled worker's 256 KiB outbox and its socket buffers.
            String gone = "*** " + stalled.address() + " (" + stalled.pid() + ") left";
            boolean goneSeen = floodPacedToReader(flooder, reader, 4000, "s".repeat(500), 300, gone);
            server.awaitLog("event=outbox_full worker=\\d+ pid=" + stalled.pid() + " .*limit=262144");
            // A stopped process cannot take its last word; it is killed after the grace period.
            Await.until(Duration.ofSeconds(15), "stalled worker killed", () -> !ForkcastServer.alive(stalled.pid()));
            if (!goneSeen) {
                reader.expect(gone);
            }
            assertStillChatting(flooder, reader, "still flowing");
        }
    }

    @Test
    void sigtermStopsEveryProcessAndTellsEveryClient() throws Exception {
        var server = ForkcastServer.start();
        try (server;
                var a = server.join();
                var b = server.join();
                var c = server.join()) {
            a.expectLine(l -> l.contains("(" + c.pid() + ") joined"));
            // Every child, spares included.
            var workers = server.workerPids();
            assertTrue(workers.containsAll(List.of(a.pid(), b.pid(), c.pid())), workers.toString());
            long started = System.nanoTime();
            server.signal("TERM");
            for (var client : List.of(a, b, c)) {
                client.expect("*** server shutting down");
                client.expectClosed(Duration.ofSeconds(10));
            }
            assertTrue(server.process().waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "supervisor still running");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, server.process().exitValue());
            assertTrue(millis < 5000, "took " + millis + " ms");
            for (long pid : workers) {
                Await.until(Duration.ofSeconds(5), "worker " + pid + " gone", () -> !ForkcastServer.alive(pid));
            }
            assertFalse(java.nio.file.Files.exists(server.runtimeDir().resolve("hub.sock")));
        }
    }

    @Test
    void withoutReconnectingKillingTheSupervisorMakesEveryWorkerTellItsClientAndExit() throws Exception {
        try (var server = ForkcastServer.start("--hub-reconnect-timeout", "0");
                var a = server.join();
                var b = server.join()) {
            a.expectLine(l -> l.endsWith("joined"));
            ForkcastServer.kill(server.pid(), "KILL");
            for (var client : List.of(a, b)) {
                client.expect("*** server went away");
                client.expectClosed(Duration.ofSeconds(5));
            }
            for (long pid : List.of(a.pid(), b.pid())) {
                Await.until(Duration.ofSeconds(5), "worker " + pid + " gone", () -> !ForkcastServer.alive(pid));
            }
        }
    }
}
