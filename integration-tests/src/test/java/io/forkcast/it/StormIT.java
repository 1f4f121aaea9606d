package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.admin.AdminClient;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection storms: past workers_starting_max at most accept_backlog_max clients wait, the next are refused at
 * once with a reason, and a worker that misses worker_start_timeout has its client told why.
 */
@Timeout(120)
class StormIT {
    /** The client's address as the server logs it: the local end of its socket. */
    private static String peerOf(TelnetClient client) {
        return "127.0.0.1:" + client.socket().getLocalPort();
    }

    @Test
    void pastTheWaitingLimitClientsAreToldTheServerIsBusyAndAStalledStartTellsItsClient() throws Exception {
        String classpath = FaultIT.workerClasspath() + ":" + System.getProperty("java.class.path");
        try (var server = ForkcastServer.start(
                "--worker-main",
                "io.forkcast.it.StalledWorker",
                "--worker-classpath",
                classpath,
                "--pool-min-spare",
                "0",
                "--workers-starting-max",
                "1",
                "--accept-backlog-max",
                "2",
                "--worker-start-timeout",
                "3s")) {
            try (var first = server.connect()) {
                server.awaitLog("event=spawn worker=\\d+ ");
                try (var second = server.connect();
                        var third = server.connect()) {
                    server.awaitLog("event=waiting peer=" + Pattern.quote(peerOf(second)) + " waiting=1 ");
                    server.awaitLog(
                            "event=waiting peer=" + Pattern.quote(peerOf(third)) + " waiting=2 limit=2 starting=1");
                    try (var busy = server.connect()) {
                        assertEquals(
                                List.of("*** server busy, try again later"), busy.expectClosed(Duration.ofSeconds(10)));
                    }
                    server.awaitLog("event=refused peer=\\S+ reason=busy waiting=2 limit=2 starting=1");
                    // The first worker never connects: at its deadline it is killed and its client told why.
                    assertEquals(
                            List.of("*** server cannot start a session now, please try again later"),
                            first.expectClosed(Duration.ofSeconds(20)));
                    server.awaitLog("event=connect_timeout worker=\\d+ pid=\\d+ peer=\\S+ timeout_ms=3000");
                    // Its place goes to the oldest waiting client.
                    server.awaitLog("event=spawn worker=\\d+ pid=\\d+ peer=" + Pattern.quote(peerOf(second)) + "$");
                    try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                        assertEquals(1, admin.stats().get("refused_busy"), server.logText());
                    }
                }
            }
        }
    }

    @Test
    void aClientWhoseWorkerDiesBeforeItConnectsIsToldWhy() throws Exception {
        String classpath = FaultIT.workerClasspath() + ":" + System.getProperty("java.class.path");
        try (var server = ForkcastServer.start(
                "--worker-main",
                "io.forkcast.it.FailingWorker",
                "--worker-classpath",
                classpath,
                "--pool-min-spare",
                "0")) {
            // The first worker of the runtime directory is a real one; the next exits 1 before it connects.
            try (var first = server.join();
                    var second = server.connect()) {
                server.awaitLog("event=join worker=\\d+ pid=" + first.pid() + " ");
                assertEquals(
                        List.of("*** server cannot start a session now, please try again later"),
                        second.expectClosed(Duration.ofSeconds(30)));
                server.awaitLog("event=worker_boot_failed pid=\\d+ code=1 ");
            }
        }
    }
}
