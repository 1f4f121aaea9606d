package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workers that die before they connect to the hub: logged with their own first line, backed off, or fatal at start. */
@Timeout(120)
class BootFailureIT {

    @Test
    void aServerWhoseWorkersCannotStartExitsTwoWithTheJvmsOwnLine() throws Exception {
        try (var server = ForkcastServer.start("--worker-jvm-options", "-XX:+NoSuchOption", "--pool-min-spare", "2")) {
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the supervisor stops by itself");
            assertEquals(2, server.process().exitValue(), server.logText());
            server.awaitLog("^forkcast: workers cannot start: Unrecognized VM option 'NoSuchOption'$");
            assertEquals(
                    2,
                    server.countLog("event=worker_boot_failed pid=\\d+ code=1"
                            + " first_line=\"Unrecognized VM option 'NoSuchOption'\""),
                    server.logText());
            // What the JVM printed is in the supervisor's stderr too, whole.
            assertTrue(server.countLog("^Error: Could not create the Java Virtual Machine\\.$") >= 2, server.logText());
        }
    }

    @Test
    void workersThatFailLaterAreLoggedWithTheirLineAndSpareStartsBackOff() throws Exception {
        String classpath = FaultIT.workerClasspath() + ":" + System.getProperty("java.class.path");
        try (var server = ForkcastServer.start(
                "--worker-main",
                "io.forkcast.it.FailingWorker",
                "--worker-classpath",
                classpath,
                "--pool-min-spare",
                "2")) {
            server.awaitLog("event=spare_ready ");
            server.awaitLog("event=worker_boot_failed pid=\\d+ code=1 first_line=\"" + FailingWorker.LINE + "\"$");
            Await.until(
                    Duration.ofSeconds(60),
                    "four boot failures",
                    () -> server.countLog("event=worker_boot_failed ") >= 4);
            long failures = server.countLog("event=worker_boot_failed ");
            long spawns = server.countLog("event=spawn_spare ");
            // The good spare, one start per failure, and at most one probe in flight: not the ramp's 32 a second.
            assertTrue(spawns <= failures + 2, "spawns=" + spawns + " failures=" + failures + "\n" + server.logText());
            assertTrue(server.process().isAlive(), "a server that has a working worker keeps serving");
            try (var a = server.join()) {
                a.send("/who");
                a.expectLine(l -> l.contains("pid " + a.pid() + " (you)"));
            }
        }
    }
}
