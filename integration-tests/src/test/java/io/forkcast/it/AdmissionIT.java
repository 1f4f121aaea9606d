package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who gets a worker: clients_per_address_max, and workers_max counting clients, never idle spares. */
@Timeout(120)
class AdmissionIT {
    /** Workers spent on clients so far: each handed a spare or spawned for it. */
    private static long workersSpentOnClients(ForkcastServer server) {
        return server.countLog("event=handoff worker=") + server.countLog("event=spawn worker=");
    }

    @Test
    void aClientPastTheLimitForItsAddressIsToldWhyBeforeAnyWorkerIsSpentOnIt() throws Exception {
        try (var server = ForkcastServer.start(
                "--clients-per-address-max", "2", "--pool-min-spare", "1", "--pool-max-spare", "1")) {
            Await.until(Duration.ofSeconds(30), "a spare ready", () -> server.countLog("event=spare_ready ") >= 1);
            try (var b = server.join()) {
                long first;
                try (var a = server.join()) {
                    first = a.pid();
                    try (var refused = server.connect()) {
                        var last = refused.expectClosed(Duration.ofSeconds(10));
                        assertEquals(java.util.List.of("*** too many connections from your address"), last);
                    }
                    server.awaitLog(
                            "event=refused peer=\\S+ reason=per_address address=127\\.0\\.0\\.1 clients=2 limit=2");
                    assertEquals(2, workersSpentOnClients(server), server.logText());
                }
                // Its worker gone, the address has room again.
                server.awaitLog("event=exit worker=\\d+ pid=" + first + " ");
                try (var c = server.join()) {
                    b.expect("*** " + c.address() + " (" + c.pid() + ") joined");
                }
            }
        }
    }

    @Test
    void workersMaxIsSizedFromMemoryAtStartUnlessItIsSet() throws Exception {
        long availableMib = 0;
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                availableMib = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        try (var server = ForkcastServer.start("--pool-min-spare", "0")) {
            var line = server.awaitLog("event=workers_max value=\\d+ source=memory available_mib=\\d+ worker_mib=24");
            int value = Integer.parseInt(line.replaceAll(".*value=(\\d+) .*", "$1"));
            long atStart = Long.parseLong(line.replaceAll(".*available_mib=(\\d+) .*", "$1"));
            assertEquals(Math.max(1, Math.min(1024, (atStart - 256) / 24)), value, line);
            // MemAvailable moves while tests run; the server read it a moment ago.
            assertTrue(Math.abs(atStart - availableMib) < availableMib / 4 + 512, line + " vs " + availableMib);
        }
        try (var server = ForkcastServer.start("--pool-min-spare", "0", "--workers-max", "5")) {
            server.awaitLog("event=workers_max value=5 source=config worker_mib=24");
        }
    }

    @Test
    void idleSparesDoNotTakeAClientsPlaceUnderWorkersMax() throws Exception {
        try (var server =
                ForkcastServer.start("--workers-max", "3", "--pool-min-spare", "2", "--pool-max-spare", "2")) {
            Await.until(Duration.ofSeconds(30), "two spares ready", () -> server.countLog("event=spare_ready ") >= 2);
            try (var a = server.join();
                    var b = server.join();
                    var c = server.join()) {
                a.expect("*** " + c.address() + " (" + c.pid() + ") joined");
                b.expect("*** " + c.address() + " (" + c.pid() + ") joined");
                try (var refused = server.connect()) {
                    refused.expect("*** server full, please try again later");
                    refused.expectClosed(Duration.ofSeconds(10));
                }
                server.awaitLog("event=refused peer=\\S+ reason=full clients=3 limit=3");
            }
        }
    }

    @Test
    void listAgeAndIdleCountFromTheClientsArrivalNotFromWhenItsSpareStarted() throws Exception {
        try (var server = ForkcastServer.start("--pool-min-spare", "1", "--pool-max-spare", "1")) {
            Await.until(Duration.ofSeconds(30), "a spare ready", () -> server.countLog("event=spare_ready ") >= 1);
            long readyAt = System.nanoTime();
            // Time is what is measured here: the spare must be older than a client just arrived can be.
            Await.until(Duration.ofSeconds(10), "the spare 3 s old", () -> System.nanoTime() - readyAt >= 3e9);
            try (var a = server.join();
                    var admin = io.forkcast.admin.AdminClient.connect(RawAdmin.socketOf(server))) {
                server.awaitLog("event=handoff worker=\\d+ pid=" + a.pid() + " ");
                var client = admin.list().getFirst();
                assertEquals(a.pid(), client.pid());
                long sinceReady = (System.nanoTime() - readyAt) / 1_000_000_000L;
                assertTrue(
                        client.ageSeconds() < sinceReady - 1,
                        "age " + client.ageSeconds() + " s, spare ready " + sinceReady + " s");
                assertTrue(client.idleSeconds() < sinceReady - 1, "idle " + client.idleSeconds() + " s");
            }
        }
    }
}
