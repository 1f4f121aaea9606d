package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A planned restart ({@code scripts/forkcast restart}, SIGUSR2) hands every client over to a new supervisor on
 * the same listener and runtime directory: nobody is dropped and no line is lost while they chat through it.
 */
@Timeout(300)
class HandoverIT {
    private static final Pattern LINE = Pattern.compile("^\\[[^]]+] \\((\\d+)\\): (\\w+) (\\d+) (\\d+)$");

    @Test
    void twentyClientsChatThroughAPlannedRestartAndNoneIsDroppedAndNoLineLost() throws Exception {
        int clients = 20;
        // Twenty clients from one address, each sending as fast as the last line arrives: both limits lifted.
        var first = ForkcastServer.start(
                "--clients-per-address-max", "0", "--flood-lines-per-second", "1000", "--flood-burst", "1000");
        long successor = -1;
        var all = new ArrayList<TelnetClient>();
        try (first) {
            for (int i = 0; i < clients; i++) {
                all.add(first.join());
            }
            var last = all.get(clients - 1);
            for (int i = 0; i < clients - 1; i++) {
                all.get(i).expect("*** " + last.address() + " (" + last.pid() + ") joined");
            }
            var sent = new int[clients];
            var seen = new ArrayList<Map<String, List<Integer>>>();
            for (int i = 0; i < clients; i++) {
                seen.add(new HashMap<>());
            }
            var restart = CompletableFuture.supplyAsync(() -> first.plannedRestart());
            // Lines go round the clients, each one's next line sent once the previous one arrived somewhere, until
            // the new supervisor has every worker and for a hundred lines more.
            Matcher done = null;
            int after = Integer.MAX_VALUE;
            for (int turn = 0; turn < after; turn++) {
                int i = turn % clients;
                String line = "mid " + i + " " + ++sent[i];
                all.get(i).send(line);
                int to = (i + 1) % clients;
                pumpUntil(all.get(to), seen.get(to), line);
                if (done == null) {
                    String handed = first.log().stream()
                            .filter(l -> l.contains("event=handover_done"))
                            .findFirst()
                            .orElse(null);
                    if (handed != null) {
                        done = Pattern.compile("successor=(\\d+) workers=(\\d+)")
                                .matcher(handed);
                        assertTrue(done.find(), handed);
                        after = turn + 100;
                    }
                }
                assertTrue(turn < 100_000, "no handover:\n" + first.logText());
            }
            successor = Long.parseLong(done.group(1));
            assertEquals(clients, Integer.parseInt(done.group(2)), first.logText());
            String restartOutput = restart.get(60, TimeUnit.SECONDS);
            assertTrue(restartOutput.contains("handed over to " + successor), restartOutput);
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "the old supervisor did not exit");
            assertEquals(0, first.process().exitValue());

            for (int i = 0; i < clients; i++) {
                all.get(i).send("after " + i + " 1");
            }
            int total = 0;
            for (int n : sent) {
                total += n;
            }
            for (int i = 0; i < clients; i++) {
                collect(all.get(i), seen.get(i), total - sent[i] + clients - 1);
                for (int from = 0; from < clients; from++) {
                    var expected = new ArrayList<Integer>();
                    for (int k = 1; from != i && k <= sent[from]; k++) {
                        expected.add(k);
                    }
                    var got = seen.get(i);
                    assertEquals(expected, got.getOrDefault("mid " + from, List.of()), "client " + i + " from " + from);
                    assertEquals(from == i ? List.of() : List.of(1), got.getOrDefault("after " + from, List.of()));
                }
            }
            String pid = "pid=" + successor + " ";
            assertEquals(clients, first.countLog(pid + "event=adopt "), first.logText());
            assertTrue(first.log().stream()
                    .anyMatch(l -> l.contains(pid + "event=ready") && l.contains("activation=socket")));
            for (var c : all) {
                assertTrue(ForkcastServer.alive(c.pid()), "worker " + c.pid() + " died");
                assertTrue(c.seen().stream()
                        .noneMatch(l -> l.contains("server went away") || l.contains("shutting down")));
            }
            // The same port, never re-bound: a new client gets in, and everyone hears it.
            try (var late = first.join()) {
                all.get(0).expect("*** " + late.address() + " (" + late.pid() + ") joined");
            }
        } finally {
            all.forEach(TelnetClient::close);
            stop(successor);
        }
    }

    /** Stops the successor (it stops its workers) and kills whatever of its tree is left. */
    private static void stop(long pid) throws InterruptedException {
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        var tree = new ArrayList<ProcessHandle>(handle.get().descendants().toList());
        handle.get().destroy();
        handle.get().onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
        handle.get().destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        Await.until(
                Duration.ofSeconds(10),
                "successor " + pid + " gone",
                () -> !handle.get().isAlive());
    }

    /** Reads chat lines into {@code seen} until {@code wanted} arrives. */
    private static void pumpUntil(TelnetClient client, Map<String, List<Integer>> seen, String wanted)
            throws Exception {
        while (true) {
            String line = client.readLine();
            assertTrue(line != null, "closed; " + client.recent());
            if (record(line, seen) && line.endsWith("): " + wanted)) {
                return;
            }
        }
    }

    /** Reads chat lines into {@code seen} until it holds {@code count} in all. */
    private static void collect(TelnetClient client, Map<String, List<Integer>> seen, int count) throws Exception {
        int got = seen.values().stream().mapToInt(List::size).sum();
        while (got < count) {
            String line = client.readLine();
            assertTrue(line != null, "closed; " + client.recent());
            if (record(line, seen)) {
                got++;
            }
        }
    }

    private static boolean record(String line, Map<String, List<Integer>> seen) {
        var m = LINE.matcher(line);
        if (!m.matches()) {
            return false;
        }
        seen.computeIfAbsent(m.group(2) + " " + m.group(3), k -> new ArrayList<>())
                .add(Integer.parseInt(m.group(4)));
        return true;
    }
}
