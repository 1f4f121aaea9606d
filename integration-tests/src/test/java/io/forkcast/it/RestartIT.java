package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers hold the clients, so a supervisor crash need not drop anyone. */
@Timeout(240)
class RestartIT {
    private static final Pattern LINE = Pattern.compile("^\\[[^]]+] \\((\\d+)\\): (before|gap|after) (\\d+) (\\d+)$");

    @Test
    void twentyClientsSurviveASupervisorKillAndEveryLineTypedMeanwhileArrivesOnce() throws Exception {
        int clients = 20;
        int gapLines = 3;
        // Twenty clients from one address: past clients_per_address_max unless it is lifted.
        var first = ForkcastServer.start("--clients-per-address-max", "0");
        try (first) {
            var all = new ArrayList<TelnetClient>();
            try {
                for (int i = 0; i < clients; i++) {
                    all.add(first.join());
                }
                var last = all.get(clients - 1);
                for (int i = 0; i < clients - 1; i++) {
                    all.get(i).expect("*** " + last.address() + " (" + last.pid() + ") joined");
                }
                for (int i = 0; i < clients; i++) {
                    all.get(i).send("before " + i + " 1");
                }
                var seen = new ArrayList<Map<String, List<Integer>>>();
                for (int i = 0; i < clients; i++) {
                    seen.add(new HashMap<>());
                    collect(all.get(i), seen.get(i), clients - 1);
                }

                ForkcastServer.kill(first.pid(), "KILL");
                for (var c : all) {
                    c.expect("*** reconnecting to server...");
                }
                for (int i = 0; i < clients; i++) {
                    for (int k = 1; k <= gapLines; k++) {
                        all.get(i).send("gap " + i + " " + k);
                    }
                }
                try (var second = ForkcastServer.startAfter(first)) {
                    for (var c : all) {
                        c.expect("*** reconnected");
                    }
                    for (int i = 0; i < clients; i++) {
                        collect(all.get(i), seen.get(i), (clients - 1) * gapLines);
                    }
                    for (int i = 0; i < clients; i++) {
                        all.get(i).send("after " + i + " 1");
                    }
                    for (int i = 0; i < clients; i++) {
                        collect(all.get(i), seen.get(i), clients - 1);
                    }
                    // Every client got every other client's lines: each once, in order, its own never.
                    for (int i = 0; i < clients; i++) {
                        for (int from = 0; from < clients; from++) {
                            var expected = new ArrayList<Integer>();
                            if (from != i) {
                                expected.add(1);
                            }
                            assertEquals(
                                    from == i ? List.of() : List.of(1),
                                    seen.get(i).getOrDefault("before " + from, List.of()));
                            var gaps = new ArrayList<Integer>();
                            if (from != i) {
                                for (int k = 1; k <= gapLines; k++) {
                                    gaps.add(k);
                                }
                            }
                            assertEquals(
                                    gaps,
                                    seen.get(i).getOrDefault("gap " + from, List.of()),
                                    "client " + i + " from " + from);
                            assertEquals(expected, seen.get(i).getOrDefault("after " + from, List.of()));
                        }
                    }
                    assertEquals(clients, second.countLog("event=adopt "));
                    for (var c : all) {
                        assertTrue(ForkcastServer.alive(c.pid()), "worker " + c.pid() + " died");
                    }
                    // The new supervisor lists and relays for them like its own: a nickname still works.
                    all.get(0).send("/nick first");
                    all.get(0).expect("*** you are now known as first");
                    all.get(1).expectLine(l -> l.endsWith("is now known as first"));
                }
            } finally {
                all.forEach(TelnetClient::close);
            }
        }
    }

    /** Reads chat lines until {@code count} have arrived, recording each sender's line numbers by kind. */
    private static void collect(TelnetClient client, Map<String, List<Integer>> seen, int count) throws Exception {
        int got = 0;
        while (got < count) {
            String line = client.readLine();
            assertTrue(line != null, "closed; " + client.recent());
            var m = LINE.matcher(line);
            if (m.matches()) {
                seen.computeIfAbsent(m.group(2) + " " + m.group(3), k -> new ArrayList<>())
                        .add(Integer.parseInt(m.group(4)));
                got++;
            }
        }
    }

    @Test
    void workersGiveUpAndExitWhenNoSupervisorReturns() throws Exception {
        // The server's stderr goes to a file, which outlives the supervisor (a Process's own stderr pipe is
        // closed by the JDK when the process dies): what workers log after it died must still reach it.
        Path stderr = Files.createTempFile("fc-restart-", ".log");
        var launcher = List.of(
                "sh",
                "-c",
                "exec \"$0\" \"$@\" 2>>" + stderr,
                ForkcastServer.HOME.resolve("scripts/forkcast").toString(),
                "run");
        try (var server = ForkcastServer.start(launcher, Map.of(), List.of("--hub-reconnect-timeout", "1"));
                var a = server.join();
                var b = server.join()) {
            a.expectLine(l -> l.endsWith("joined"));
            ForkcastServer.kill(server.pid(), "KILL");
            for (var c : List.of(a, b)) {
                c.expect("*** reconnecting to server...");
                c.expect("*** server went away");
                c.expectClosed(Duration.ofSeconds(10));
            }
            for (long pid : List.of(a.pid(), b.pid())) {
                Await.until(Duration.ofSeconds(10), "worker " + pid + " gone", () -> !ForkcastServer.alive(pid));
            }
            // Workers log to the supervisor's stderr itself (--log-fd), not through the pipe that died with it.
            var log = Files.readString(stderr);
            for (long pid : List.of(a.pid(), b.pid())) {
                assertTrue(log.contains("role=worker pid=" + pid + " event=reconnect_gave_up"), log);
            }
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
