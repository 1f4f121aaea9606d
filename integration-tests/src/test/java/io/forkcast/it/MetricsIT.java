package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the kernel says each worker costs, as the admin socket shows it: {@code LIST}'s usage fields, {@code TOP}
 * ranking a flooding client first, and {@code METRICS} as Prometheus text that promtool accepts.
 */
@Timeout(180)
class MetricsIT {
    private static final Pattern USAGE = Pattern.compile(
            " room=\\S+ user=\\S+ cpu=[0-9]+\\.[0-9]{2} rss=[0-9]+ pss=[0-9]+ threads=[0-9]+ fds=[0-9]+ kind=telnet$");

    @Test
    void listShowsWhatEachWorkerCostsOnceSampled() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
            // Sampled on the housekeeping tick, a round a second: the fields read "-" until then.
            String line = Await.until(
                    Duration.ofSeconds(20),
                    "LIST to show the worker's usage; it reads %s",
                    () -> {
                        try {
                            var lines = admin.command("LIST");
                            return lines.size() == 1
                                            && USAGE.matcher(lines.getFirst()).find()
                                    ? lines.getFirst()
                                    : null;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    () -> "(see the server log)");
            assertTrue(line.startsWith(RawAdmin.idOf(server, a) + " " + a.address() + " pid=" + a.pid() + " "), line);
            var info = admin.list().getFirst();
            assertEquals("telnet", info.kind());
            var usage = info.usage();
            // A worker JVM: some MiB of PSS and at least as much RSS, a dozen threads, its sockets.
            assertTrue(usage.pssBytes() > 4 << 20 && usage.rssBytes() >= usage.pssBytes(), usage.toString());
            assertTrue(usage.threads() >= 2 && usage.fds() >= 3, usage.toString());
            var stats = admin.stats();
            assertTrue(stats.get("memory_pss") >= usage.pssBytes() + stats.get("supervisor_pss"), stats.toString());
        }
    }

    @Test
    void topRanksAFloodingClientFirstAndPromtoolAcceptsTheMetrics() throws Exception {
        try (var server = ForkcastServer.start(
                        "--flood-lines-per-second",
                        "1000000",
                        "--flood-burst",
                        "1000000",
                        "--flood-drops-before-disconnect",
                        "1000000",
                        "--flood-bytes-per-second",
                        "0");
                var quiet = server.join();
                var flooder = server.join();
                var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
            // Alone in its room, so that nobody has to read what it sends.
            flooder.send("/join flood");
            flooder.expect("*** you are now in #flood");
            long flooderId = RawAdmin.idOf(server, flooder);
            var stop = new AtomicBoolean();
            var writer = CompletableFuture.runAsync(() -> flood(flooder, stop));
            try {
                String top = Await.until(
                        Duration.ofSeconds(30),
                        "TOP to rank the flooder first; it reads %s",
                        () -> {
                            try {
                                var lines = admin.command("TOP 2");
                                return lines.size() == 2
                                                && lines.get(0).startsWith(flooderId + " ")
                                                && !lines.get(0).contains("cpu_percent=0.0 ")
                                        ? lines.get(0)
                                        : null;
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        () -> {
                            try {
                                return String.join(" | ", admin.command("TOP 2"));
                            } catch (IOException e) {
                                return e.toString();
                            }
                        });
                assertTrue(top.contains(" name=- room=flood user=- kind=telnet"), top);
                var second = admin.command("TOP 2").get(1);
                assertTrue(second.startsWith(RawAdmin.idOf(server, quiet) + " "), second);
                assertEquals(1, admin.command("TOP 1").size());

                String metrics = admin.metrics();
                assertTrue(metrics.contains("\nforkcast_clients 2\n"), metrics);
                assertTrue(metrics.contains("\nforkcast_dropped_total{cause=\"flood\"} 0\n"), metrics);
                assertTrue(
                        Pattern.compile("\nforkcast_worker_pss_bytes_count [2-9]\\d*\n")
                                .matcher(metrics)
                                .find(),
                        metrics);
                AdminDashboardContract.promtoolAccepts(metrics);
                System.out.printf("top while flooding: %s%n", top);
            } finally {
                stop.set(true);
                writer.get(30, TimeUnit.SECONDS);
            }
            // Still connected, and never dropped: the flood limit was raised out of the way.
            flooder.send("/join lobby");
            flooder.expect("*** you are now in #lobby");
            assertEquals(0, server.countLog("cause=flood"), server.logText());
        }
    }

    /** Lines as fast as TCP takes them, until told to stop. */
    private static void flood(TelnetClient flooder, AtomicBoolean stop) {
        byte[] block = "flooding the room with a line that is long enough to cost something\r\n"
                .repeat(500)
                .getBytes(StandardCharsets.US_ASCII);
        try {
            while (!stop.get()) {
                flooder.sendRaw(block);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
