package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that writes as fast as TCP lets it (a paste, a program) is slowed, not dropped: while its worker's
 * backlog of unacknowledged lines is full the worker stops reading it, and TCP pushes back.
 */
@Timeout(180)
class FastSenderIT {
    private static final int LINES = 20_000;

    @Test
    void anUnpacedSenderIsHeldWhileTheServerIsBehindAndEveryLineArrivesOnceInOrder() throws Exception {
        try (var server = ForkcastServer.start(
                        "--flood-lines-per-second",
                        "1000000",
                        "--flood-burst",
                        "1000000",
                        "--flood-bytes-per-second",
                        "0",
                        // 20,000 lines in a second outrun what the store takes in (its queue holds 10,000): the
                        // sender would rightly be told its lines are not kept in history. This test is about the hub.
                        "--history-lines",
                        "0");
                var reader = server.join();
                var sender = server.join()) {
            reader.expectLine(l -> l.contains("(" + sender.pid() + ") joined"));
            // A stopped supervisor acknowledges nothing: the sender's backlog fills long before its 20,000 lines
            // are read, which used to cost it its connection and every line after the 4,096th.
            server.signal("STOP");
            CompletableFuture<Void> writer;
            try {
                writer = CompletableFuture.runAsync(() -> write(sender));
                server.awaitLog("event=client_held peer=" + sender.address() + " .*reason=backlog_full");
            } finally {
                server.signal("CONT");
            }
            long resumed = System.nanoTime();
            String prefix = "[" + sender.address() + "] (" + sender.pid() + "): fast ";
            for (int i = 1; i <= LINES; i++) {
                String line = reader.readLine();
                if (line == null) {
                    throw new AssertionError("reader closed after " + (i - 1) + " lines; " + reader.recent());
                }
                assertEquals(prefix + i + " " + "x".repeat(40), line, reader::recent);
            }
            System.out.printf(
                    "fast sender: %d lines delivered in %d ms after the supervisor resumed%n",
                    LINES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed));
            writer.get(60, TimeUnit.SECONDS);
            sender.send("still here");
            reader.expect(prefix.replace("fast ", "") + "still here");
            reader.send("and you are");
            sender.expectLine(l -> l.endsWith("): and you are"));
            // No notice of any kind, only the room it was placed in on arrival.
            assertFalse(
                    sender.seen().stream().anyMatch(l -> l.startsWith("*** ") && !l.startsWith("*** you are in #")),
                    sender.recent());
            assertEquals(0, server.countLog("event=backlog_(full|stalled)|cause=hub_backlog"), server.logText());
        }
    }

    @Test
    void aSupervisorThatAcknowledgesNothingForTheReconnectTimeoutCostsAHeldSenderItsConnection() throws Exception {
        try (var server = ForkcastServer.start(
                        "--flood-lines-per-second",
                        "1000000",
                        "--flood-burst",
                        "1000000",
                        "--hub-reconnect-timeout",
                        "2");
                var sender = server.join()) {
            // Stopped for good, as far as the sender can tell: linked, but no ack ever comes.
            server.signal("STOP");
            try {
                var writer = CompletableFuture.runAsync(() -> write(sender));
                server.awaitLog("event=client_held peer=" + sender.address() + " ");
                server.awaitLog("event=backlog_stalled worker=\\d+ peer=" + sender.address() + " lines=4096 ");
                sender.expect("*** server unavailable for too long, disconnecting");
                sender.expectClosed(java.time.Duration.ofSeconds(10));
                server.awaitLog("event=exit peer=" + sender.address() + " worker=\\d+ cause=hub_backlog held=1");
                // The writer ends with the connection (reset under it): that is the point.
                writer.handle((done, reset) -> null).get(30, TimeUnit.SECONDS);
            } finally {
                server.signal("CONT");
            }
        }
    }

    /** All the lines in 64 KiB writes, each blocking for as long as TCP makes it; ends quietly if dropped. */
    private static void write(TelnetClient sender) {
        var block = new StringBuilder();
        try {
            for (int i = 1; i <= LINES; i++) {
                block.append("fast ")
                        .append(i)
                        .append(' ')
                        .append("x".repeat(40))
                        .append("\r\n");
                if (block.length() > 64 * 1024 || i == LINES) {
                    sender.sendRaw(block.toString().getBytes(StandardCharsets.US_ASCII));
                    block.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
