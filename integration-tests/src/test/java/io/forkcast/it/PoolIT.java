package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm pool: spare workers started ahead, handed clients over the hub, refilled and retired. */
@Timeout(120)
class PoolIT {

    private static long readySpares(ForkcastServer server) {
        return server.countLog("event=spare_ready ");
    }

    @Test
    void aClientIsHandedToASpareThatWasStartedBeforeItConnected() throws Exception {
        try (var server = ForkcastServer.start("--pool-min-spare", "2", "--pool-max-spare", "2")) {
            Await.until(Duration.ofSeconds(30), "two spares ready", () -> readySpares(server) >= 2);
            var spares = server.log().stream()
                    .filter(l -> l.contains("event=spare_ready "))
                    .map(l -> {
                        var m = Pattern.compile("event=spare_ready pid=(\\d+)").matcher(l);
                        assertTrue(m.find(), l);
                        return Long.parseLong(m.group(1));
                    })
                    .toList();
            try (var a = server.join()) {
                assertTrue(spares.contains(a.pid()), "client served by " + a.pid() + ", spares were " + spares);
                server.awaitLog("event=handoff worker=\\d+ pid=" + a.pid() + " peer=" + Pattern.quote(a.address()));
                assertEquals(0, server.countLog("event=jni_unavailable"), "the spare took its client through JNI");
                // The worker holds the client's socket: it chats like any other.
                try (var b = server.join()) {
                    a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
                    b.send("via the pool");
                    a.expect("[" + b.address() + "] (" + b.pid() + "): via the pool");
                    // Two spares were used: the pool starts replacements.
                    Await.until(Duration.ofSeconds(30), "pool refilled", () -> readySpares(server) >= 4);
                }
            }
        }
    }

    @Test
    void aSpareWithoutTheJniHelperTakesItsClientThroughTheFfmPath() throws Exception {
        // The worker's jars alone, without libforkcast-worker.so beside them.
        Path jars = Files.createTempDirectory(Path.of("/tmp"), "fc-jars-");
        try {
            var classpath = new ArrayList<String>();
            for (String jar : FaultIT.workerClasspath().split(":", -1)) {
                Path copy = jars.resolve(Path.of(jar).getFileName());
                Files.copy(Path.of(jar), copy);
                classpath.add(copy.toString());
            }
            try (var server = ForkcastServer.start(
                    "--pool-min-spare",
                    "1",
                    "--pool-max-spare",
                    "1",
                    "--worker-classpath",
                    String.join(":", classpath))) {
                Await.until(Duration.ofSeconds(30), "a spare ready", () -> readySpares(server) >= 1);
                try (var a = server.join()) {
                    server.awaitLog("event=handoff worker=\\d+ pid=" + a.pid() + " ");
                    server.awaitLog("role=worker pid=" + a.pid() + " event=jni_unavailable handoff=ffm ");
                    try (var b = server.join()) {
                        a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
                        b.send("through ffm");
                        a.expect("[" + b.address() + "] (" + b.pid() + "): through ffm");
                    }
                }
            }
        } finally {
            try (var files = Files.list(jars)) {
                for (var file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(jars);
        }
    }

    @Test
    void withoutAPoolEveryWorkerIsStartedForItsClient() throws Exception {
        try (var server = ForkcastServer.start("--pool-min-spare", "0");
                var a = server.join()) {
            server.awaitLog("event=spawn worker=\\d+ pid=" + a.pid() + " ");
            assertEquals(0, server.countLog("event=spawn_spare"));
            assertEquals(java.util.List.of(a.pid()), server.workerPids());
        }
    }

    @Test
    void idleSparesAreRetiredWhenTooOldAndReplaced() throws Exception {
        try (var server =
                ForkcastServer.start("--pool-min-spare", "1", "--pool-max-spare", "1", "--pool-spare-max-age", "1")) {
            String retired = server.awaitLog("event=spare_retired pid=\\d+");
            var m = Pattern.compile("pid=(\\d+)").matcher(retired.substring(retired.indexOf("event=spare_retired")));
            assertTrue(m.find());
            long pid = Long.parseLong(m.group(1));
            Await.until(Duration.ofSeconds(15), "retired spare exits", () -> !ForkcastServer.alive(pid));
            server.awaitLog("event=exit worker=0 pid=" + pid + " code=0");
            Await.until(Duration.ofSeconds(30), "a replacement", () -> readySpares(server) >= 2);
        }
    }

    /** The other kinds a spare was told to warm (its {@code --warm} argument), from its command line. */
    private static String warmedBy(long pid) throws java.io.IOException {
        var args = Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0", -1);
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--warm")) {
                return args[i + 1];
            }
        }
        throw new AssertionError("no --warm in the spare's command line: " + String.join(" ", args));
    }

    private static List<Long> readySparePids(ForkcastServer server) {
        var pids = new ArrayList<Long>();
        for (String line : server.log()) {
            var m = Pattern.compile("event=spare_ready pid=(\\d+)").matcher(line);
            if (m.find()) {
                pids.add(Long.parseLong(m.group(1)));
            }
        }
        return pids;
    }

    @Test
    void sparesWarmOnlyTheKindsClientsHaveArrivedAs() throws Exception {
        try (var server = ForkcastServer.start("--pool-min-spare", "1", "--pool-max-spare", "1")) {
            Await.until(Duration.ofSeconds(30), "a spare ready", () -> readySpares(server) >= 1);
            long first = readySparePids(server).getFirst();
            // Nobody has arrived yet: the spare warms its own kind (telnet) and no other.
            assertEquals("", warmedBy(first));
            try (var a = server.join()) {
                assertEquals(first, a.pid());
                // A browser is handed the next spare, which was not warmed for it: it is served all the same.
                Await.until(Duration.ofSeconds(30), "a second spare ready", () -> readySpares(server) >= 2);
                long second = readySparePids(server).get(1);
                assertEquals("", warmedBy(second));
                var opening = RawWebSocket.open(server.host(), server.wsPort(), "/");
                assertEquals(101, opening.status(), opening.head());
                try (var browser = opening.session()) {
                    browser.expect("\"type\":\"welcome\"");
                    server.awaitLog("event=handoff worker=\\d+ pid=" + second + " ");
                    browser.send("from a cold spare");
                    a.expectLine(l -> l.equals("[" + browser.address() + "] (" + second + "): from a cold spare"));
                    // The spares started since warm the WebSocket paths too.
                    Await.until(Duration.ofSeconds(30), "a third spare ready", () -> readySpares(server) >= 3);
                    assertEquals("websocket", warmedBy(readySparePids(server).get(2)));
                }
            }
        }
    }

    @Test
    void withPoolWarmupOffASpareWaitsColdAndServesItsClientAllTheSame() throws Exception {
        try (var server =
                ForkcastServer.start("--pool-min-spare", "1", "--pool-max-spare", "1", "--pool-warmup", "off")) {
            Await.until(Duration.ofSeconds(30), "a spare ready", () -> readySpares(server) >= 1);
            long spare = readySparePids(server).getFirst();
            var args = List.of(
                    Files.readString(Path.of("/proc/" + spare + "/cmdline")).split("\0", -1));
            int at = args.indexOf("--warmup");
            assertTrue(at > 0 && args.get(at + 1).equals("off"), String.join(" ", args));
            try (var a = server.join()) {
                assertEquals(spare, a.pid());
                server.awaitLog("event=handoff worker=\\d+ pid=" + spare + " ");
                try (var b = server.join()) {
                    a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
                    a.send("from a spare that never practised");
                    b.expect("[" + a.address() + "] (" + a.pid() + "): from a spare that never practised");
                }
            }
        }
    }
}
