package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many clients leaving at once: each leave is logged with the cause its worker gave, even when the worker exits
 * before the supervisor, writing the others' leaves to it, has read that cause.
 */
@Timeout(180)
class MassLeaveIT {
    private static final int CLIENTS = 16;
    private static final int ROUNDS = 3;

    @Test
    void clientsLeavingTogetherAreLoggedWithTheirWorkersCauseNeverHubError() throws Exception {
        try (var server = ForkcastServer.start(
                "--clients-per-address-max", "0", "--pool-min-spare", "0", "--flood-bytes-per-second", "0")) {
            for (int round = 1; round <= ROUNDS; round++) {
                var clients = new ArrayList<TelnetClient>();
                try {
                    for (int i = 0; i < CLIENTS; i++) {
                        clients.add(server.join());
                    }
                    // Every one has seen the last join: all are linked and in the room.
                    var last = clients.getLast();
                    for (var client : clients.subList(0, CLIENTS - 1)) {
                        client.expect("*** " + last.address() + " (" + last.pid() + ") joined");
                    }
                } finally {
                    // All at once: each worker sees EOF, says so, and exits 0 while the others' leaves reach it.
                    for (var client : clients) {
                        client.close();
                    }
                }
                int expected = round * CLIENTS;
                Await.until(
                        Duration.ofSeconds(60),
                        expected + " leaves logged",
                        () -> server.countLog("event=left ") >= expected);
                Await.until(
                        Duration.ofSeconds(60),
                        expected + " exits logged",
                        () -> server.countLog("event=exit worker=[1-9]\\d* ") >= expected);
            }
            assertEquals(0, server.countLog("event=exit worker=[1-9]\\d* pid=\\d+ (?!code=0)"), server.logText());
            assertEquals(0, server.countLog("event=left .*cause=hub_error"), server.logText());
            assertEquals(ROUNDS * CLIENTS, server.countLog("event=left .*cause=eof"), server.logText());
        }
    }
}
