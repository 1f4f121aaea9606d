package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A planned restart ({@code scripts/forkcast restart}) with WebSocket clients connected: their workers resume under
 * the successor and tell it their openings again, so tag routing goes on with the same connections, and the
 * WebSocket port, handed over and never re-bound, takes new ones.
 */
@Timeout(180)
class WebSocketRestartIT {
    @Test
    void browsersKeepTheirTagsThroughAPlannedRestartAndThePortTakesNewOnes() throws Exception {
        var first = ForkcastServer.start();
        long successor = -1;
        try (first;
                var fr = open(first, RawWebSocket.query(null, null, "{\"language\":\"FR\"}"));
                var sender = open(first, RawWebSocket.query(null, null, null))) {
            fr.expect("\"type\":\"welcome\"");
            sender.expect("\"type\":\"welcome\"");
            String output = first.plannedRestart();
            var done =
                    Pattern.compile("successor=(\\d+) workers=(\\d+)").matcher(first.awaitLog("event=handover_done "));
            assertTrue(done.find());
            successor = Long.parseLong(done.group(1));
            assertTrue(output.contains("handed over to " + successor), output);
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS), "the old supervisor did not exit");
            // Both workers are back, and have said their openings again.
            Await.until(Duration.ofSeconds(30), "both WebSocket clients open under the successor", () -> {
                try (var admin = AdminClient.connect(RawAdmin.socketOf(first))) {
                    return admin.stats().get("websockets_open") == 2;
                } catch (Exception notYet) {
                    return false;
                }
            });

            sender.send("{\"message\":\"still here\",\"tags\":{\"language\":\"FR\"}}");
            sender.expect("\"type\":\"sent\"", "\"receivers\":1");
            fr.expect("\"type\":\"message\"", "\"message\":\"still here\"");
            try (var late = open(first, RawWebSocket.query(null, null, "{\"language\":\"FR\"}"))) {
                late.expect("\"type\":\"welcome\"");
                sender.send("{\"message\":\"two now\",\"tags\":{\"language\":\"FR\"}}");
                sender.expect("\"type\":\"sent\"", "\"receivers\":2");
                late.expect("\"type\":\"message\"", "\"message\":\"two now\"");
            }
        } finally {
            stop(successor);
        }
    }

    private static RawWebSocket open(ForkcastServer server, String path) throws Exception {
        var opening = RawWebSocket.open(server.host(), server.wsPort(), path);
        assertEquals(101, opening.status(), opening.head() + opening.body());
        return opening.session();
    }

    /** Stops the successor (it stops its workers) and kills whatever of its tree is left. */
    private static void stop(long pid) throws InterruptedException {
        var handle = ProcessHandle.of(pid);
        if (pid <= 0 || handle.isEmpty()) {
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
}
