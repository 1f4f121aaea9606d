package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker holds its own descriptors only, whether it was started for its client or handed it by the pool: its
 * client on fd 0, its output pipe on 1 and 2, the supervisor's stderr on 3, and nothing else of the supervisor's
 * (not the listener, not another client's socket, not a hub link, pipe, pidfd or jar of the supervisor's).
 */
@Timeout(120)
class WorkerDescriptorsIT {
    @Test
    void aWorkerStartedForItsClientHoldsNothingOfTheSupervisors() throws Exception {
        try (var server = ForkcastServer.start("--pool-min-spare", "0");
                var a = server.join();
                var b = server.join();
                var c = server.join()) {
            server.awaitLog("event=spawn worker=\\d+ pid=" + c.pid() + " ");
            assertOwnDescriptorsOnly(server, List.of(a, b, c));
        }
    }

    @Test
    void aWorkerHandedItsClientByThePoolHoldsNothingOfTheSupervisors() throws Exception {
        try (var server = ForkcastServer.start("--pool-min-spare", "2", "--pool-max-spare", "2")) {
            Await.until(Duration.ofSeconds(30), "two spares ready", () -> server.countLog("event=spare_ready ") >= 2);
            try (var a = server.join();
                    var b = server.join()) {
                for (var client : List.of(a, b)) {
                    server.awaitLog("event=handoff worker=\\d+ pid=" + client.pid() + " ");
                }
                // Spares started after a and b were handed over exist while a and b's sockets are open.
                Await.until(Duration.ofSeconds(30), "pool refilled", () -> server.countLog("event=spare_ready ") >= 4);
                try (var c = server.join()) {
                    server.awaitLog("event=handoff worker=\\d+ pid=" + c.pid() + " ");
                    assertOwnDescriptorsOnly(server, List.of(a, b, c));
                }
            }
        }
    }

    private static void assertOwnDescriptorsOnly(ForkcastServer server, List<TelnetClient> clients) throws IOException {
        var clientSockets = new ArrayList<String>();
        for (var client : clients) {
            clientSockets.add(descriptors(client.pid()).get(0));
        }
        for (var client : clients) {
            var others = new ArrayList<>(clientSockets);
            others.remove(descriptors(client.pid()).get(0));
            assertOwnDescriptorsOnly(server, client.pid(), others);
        }
    }

    /** {@code othersClients}: the sockets other workers hold as their fd 0, which the supervisor no longer holds. */
    private static void assertOwnDescriptorsOnly(ForkcastServer server, long workerPid, List<String> othersClients)
            throws IOException {
        var worker = descriptors(workerPid);
        var supervisor = descriptors(server.pid());
        var supervisorTargets = new ArrayList<>(supervisor.values());
        var stray = new ArrayList<String>();
        for (var fd : worker.entrySet()) {
            String target = fd.getValue();
            boolean shared =
                    (target.startsWith("socket:") || target.startsWith("pipe:")) && supervisorTargets.contains(target);
            // fd 0 may still be in the supervisor for a moment after the hand-off; 1-3 are shared by design.
            if ((fd.getKey() > 3 && shared)
                    || othersClients.contains(target)
                    || target.equals("anon_inode:[pidfd]")
                    || target.contains("forkcast-supervisor")
                    || target.contains("/jnr-")
                    || target.contains("/jffi-")) {
                stray.add(fd.getKey() + " -> " + target);
            }
        }
        assertEquals(List.of(), stray, "worker " + workerPid + " holds the supervisor's " + worker);
        assertTrue(worker.get(0).startsWith("socket:"), "fd 0 is the client: " + worker);
        assertEquals(supervisor.get(2), worker.get(3), "fd 3 is the supervisor's stderr");
    }

    /** fd number to link target, e.g. {@code socket:[4201]}, {@code pipe:[77]}, a path. */
    private static Map<Integer, String> descriptors(long pid) throws IOException {
        var fds = new TreeMap<Integer, String>();
        try (var entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (var entry : (Iterable<Path>) entries::iterator) {
                try {
                    fds.put(
                            Integer.parseInt(entry.getFileName().toString()),
                            Files.readSymbolicLink(entry).toString());
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed between the listing and the read: not one to worry about.
                }
            }
        }
        return fds;
    }
}
