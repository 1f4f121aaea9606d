package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that cost a worker and say nothing: idle_timeout ends them, TCP keepalive notices vanished peers. */
@Timeout(120)
class IdleIT {
    @Test
    void aClientThatSendsNothingForTheIdleTimeoutIsToldWhyAndDisconnected() throws Exception {
        try (var server = ForkcastServer.start("--idle-timeout", "2s");
                var a = server.join()) {
            long lastSent = System.nanoTime();
            a.send("/who");
            a.expect("*** 1 person in #lobby:");
            var last = a.expectClosed(Duration.ofSeconds(20));
            long silentMillis = (System.nanoTime() - lastSent) / 1_000_000;
            assertTrue(last.contains("*** idle for too long, disconnecting"), last.toString());
            assertTrue(silentMillis >= 2000, "disconnected after " + silentMillis + " ms of silence");
            server.awaitLog("event=client_idle .*idle_ms=\\d+");
            server.awaitLog("event=left worker=\\d+ .*cause=idle");
        }
    }

    @Test
    void clientSocketsHaveTcpKeepalive() throws Exception {
        Tools.require("ss", "the keepalive test");
        try (var server = ForkcastServer.start("--tcp-keepalive-idle", "45s");
                var a = server.join()) {
            // ss writes the peer as [::ffff:127.0.0.1]:port on a dual-stack listener: match its port.
            String clientPort = ":" + a.address().substring(a.address().lastIndexOf(':') + 1) + " ";
            String sockets = Await.until(
                    Duration.ofSeconds(10),
                    "the server side of " + a.address() + " in ss\n%s",
                    () -> {
                        String out = ss(server.port());
                        return out.contains(clientPort) ? out : null;
                    },
                    () -> ss(server.port()));
            String line = sockets.lines()
                    .filter(l -> l.contains(clientPort))
                    .findFirst()
                    .orElseThrow();
            assertTrue(line.contains("timer:(keepalive,"), line);
        }
    }

    /** Established TCP sockets whose local port is {@code port}, with their timers: {@code ss -tnoH}. */
    private static String ss(int port) {
        try {
            var process = new ProcessBuilder("ss", "-tnoH", "state", "established", "( sport = :" + port + " )")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (java.io.IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
