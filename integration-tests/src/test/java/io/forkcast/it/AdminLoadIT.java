package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many admin clients at once, and one that never reads, while the chat is flooded: the chat loses nothing. */
@Timeout(180)
class AdminLoadIT {
    private static final int ADMINS = 12;
    private static final int ROUNDS = 40;
    private static final int FLOOD_LINES = 2000;

    @Test
    void manyAdminClientsAndAStuckOneNeverCostTheChatALine() throws Exception {
        try (var server = ForkcastServer.start(
                        "--flood-lines-per-second",
                        "1000000",
                        "--flood-burst",
                        "1000000",
                        "--flood-bytes-per-second",
                        "0");
                var reader = server.join();
                var flooder = server.join()) {
            reader.expectLine(l -> l.contains("(" + flooder.pid() + ") joined"));
            long readerId = RawAdmin.idOf(server, reader);
            var socket = RawAdmin.socketOf(server);

            // Sends LIST over and over and never reads a reply: it must be dropped, not waited for.
            var stuck = RawAdmin.connect(socket);
            var stuckWriter = CompletableFuture.runAsync(() -> {
                byte[] lists = "LIST\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                try {
                    for (int i = 0; i < 20; i++) {
                        stuck.sendBytes(lists);
                    }
                } catch (java.io.IOException droppedAlready) {
                    // The supervisor closed it: that is the point.
                }
            });

            var commands = new AtomicLong();
            var admins = new ArrayList<CompletableFuture<Void>>();
            long started = System.nanoTime();
            for (int i = 0; i < ADMINS; i++) {
                int admin = i;
                admins.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int round = 0; round < ROUNDS; round++) {
                            // Half the rounds on a fresh connection, to churn accepts as well.
                            try (var client = AdminClient.connect(socket)) {
                                var list = client.list();
                                assertEquals(2, list.size(), list.toString());
                                assertTrue(client.stats().get("spawned") >= 2);
                                client.send(readerId, "note " + admin + "-" + round);
                                commands.addAndGet(3);
                            }
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }

            var block = new StringBuilder();
            for (int i = 1; i <= FLOOD_LINES; i++) {
                block.append("flood ").append(i).append("\r\n");
                if (i % 100 == 0) {
                    flooder.sendRaw(block.toString().getBytes(StandardCharsets.US_ASCII));
                    block.setLength(0);
                }
            }
            String prefix = "[" + flooder.address() + "] (" + flooder.pid() + "): flood ";
            int next = 1;
            int notes = 0;
            long floodMillis = -1;
            while (next <= FLOOD_LINES || notes < ADMINS * ROUNDS) {
                String line = reader.readLine();
                if (line == null) {
                    throw new AssertionError("reader closed after " + (next - 1) + " flood lines and " + notes
                            + " notes; " + reader.recent());
                }
                if (line.startsWith("*** admin: note ")) {
                    notes++;
                } else if (line.startsWith(prefix)) {
                    assertEquals(prefix + next, line);
                    if (++next > FLOOD_LINES) {
                        floodMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    }
                }
            }
            CompletableFuture.allOf(admins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long adminMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            server.awaitLog("event=admin_dropped admin=\\d+ .*reason=not_reading queued=\\d+ limit=1048576");
            stuckWriter.get(30, TimeUnit.SECONDS);
            stuck.close();
            try (var client = AdminClient.connect(socket)) {
                var stats = client.stats();
                assertEquals(1, stats.get("admin_dropped"));
                assertEquals(0, stats.get("dropped_slow"));
                assertEquals(2, stats.clients());
            }
            System.out.printf(
                    "admin load: %d flood lines delivered in %d ms while %d admin clients ran %d commands"
                            + " (%d notes delivered) in %d ms%n",
                    FLOOD_LINES, floodMillis, ADMINS, commands.get(), notes, adminMillis);
        }
    }
}
