package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket peers that cost a worker without being good clients, each against a real server: one that never
 * reads (dropped at client_buffer_bytes while the others go on), one that stops answering pings (a half-open
 * connection, closed after ws_ping_interval twice), and an open tab that answers pings but says nothing (still
 * idle: pings and pongs are not activity).
 */
@Timeout(180)
class WebSocketPeersIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A thread per task: the common pool may have one thread only, and these tasks block on sockets. */
    private static final Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

    private static final String[] UNLIMITED_FLOOD = {
        "--flood-lines-per-second", "1000000", "--flood-burst", "1000000", "--flood-bytes-per-second", "0"
    };

    private static RawWebSocket open(ForkcastServer server, int receiveBufferBytes) throws IOException {
        var opening = RawWebSocket.open(server.host(), server.wsPort(), "/", List.of(), receiveBufferBytes);
        assertEquals(101, opening.status(), opening.head() + opening.body());
        return opening.session();
    }

    private static void awaitLeft(ForkcastServer server, RawWebSocket ws, String cause) {
        server.awaitLog("event=left .*peer=" + Pattern.quote(ws.address()) + " .*cause=" + cause + " ");
    }

    private static String[] args(String[] first, String... more) {
        var all = new java.util.ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aClientThatAsksForOutputAndNeverReadsIsDroppedWhileTheOthersGoOnReceiving() throws Exception {
        try (var server = ForkcastServer.start(args(UNLIMITED_FLOOD, "--client-buffer-bytes", "65536"));
                var reader = server.join();
                var talker = server.join();
                var browser = open(server, 0);
                var stalled = open(server, 4096)) {
            browser.expect("\"type\":\"welcome\"");
            reader.expectLine(l -> l.startsWith("*** " + stalled.address() + " (") && l.endsWith(") joined"));
            // The stalled client reads nothing, not even its welcome, and asks for /help without end: its worker
            // answers into a buffer that only grows, past client_buffer_bytes.
            var asking = new AtomicBoolean(true);
            CompletableFuture<Integer> asker = CompletableFuture.supplyAsync(
                    () -> {
                        int sent = 0;
                        try {
                            while (asking.get() && sent < 100_000) {
                                stalled.send("/help");
                                sent++;
                            }
                        } catch (IOException dropped) {
                            // The worker closed the connection under the writes: the point.
                        }
                        return sent;
                    },
                    THREADS);
            try {
                talker.send("while it asks");
                reader.expectLine(l -> l.endsWith("): while it asks"));
                browser.expect("\"type\":\"line\"", "\"text\":\"while it asks\"");
                server.awaitLog("event=client_slow peer=" + Pattern.quote(stalled.address()) + " .*limit=65536");
                // The drop may come before the line above did: its "left" is then among what was read already.
                java.util.function.Predicate<String> left =
                        l -> l.startsWith("*** " + stalled.address() + " (") && l.endsWith(") left");
                if (reader.seen().stream().noneMatch(left)) {
                    reader.expectLine(left);
                }
            } finally {
                asking.set(false);
            }
            int sent = asker.get(60, TimeUnit.SECONDS);
            assertTrue(sent < 100_000, "the writes end with the connection, after " + sent + " requests");
            awaitLeft(server, stalled, "slow");

            talker.send("after the drop");
            reader.expectLine(l -> l.endsWith("): after the drop"));
            browser.expect("\"type\":\"line\"", "\"text\":\"after the drop\"");
            assertTrue(server.process().isAlive(), "the supervisor is unaffected");
            reader.send("/who");
            reader.expect("*** 3 people in #lobby:");
            try (var late = open(server, 0)) {
                late.expect("\"type\":\"welcome\"");
            }
        }
    }

    @Test
    void aClientThatStopsReadingWhileOthersFloodTheRoomIsDroppedAndTheReadersGetEveryLine() throws Exception {
        try (var server = ForkcastServer.start(args(UNLIMITED_FLOOD, "--client-buffer-bytes", "65536"));
                var talker = server.join();
                var browser = open(server, 0);
                var stalled = open(server, 4096)) {
            browser.expect("\"type\":\"welcome\"");
            stalled.expect("\"type\":\"welcome\""); // then it reads no more
            browser.expect("\"type\":\"join\"", "\"name\":\"" + stalled.address() + "\"");
            String pad = "p".repeat(2000);
            var slow = Pattern.compile("event=client_slow peer=" + Pattern.quote(stalled.address()) + " ");
            int lines = 0;
            // Each line waits for the browser's copy: the room moves at a reader's pace, and the stalled client's
            // worker holds what it cannot write (~2 KB a line; 64 KiB, the kernel's buffers, then the drop).
            while (server.log().stream().noneMatch(slow.asPredicate())) {
                lines++;
                assertTrue(lines < 2000, "no client_slow after " + lines + " lines\n" + server.logText());
                talker.send(lines + " " + pad);
                browser.expect("\"type\":\"line\"", "\"text\":\"" + lines + " ");
            }
            // The drop is logged a moment after it happened: the leave may have come while the last line was awaited.
            String left = "\"name\":\"" + stalled.address() + "\"";
            if (browser.seen().stream().noneMatch(m -> m.contains("\"type\":\"leave\"") && m.contains(left))) {
                browser.expect("\"type\":\"leave\"", left);
            }
            awaitLeft(server, stalled, "slow");
            talker.send("after the drop");
            browser.expect("\"type\":\"line\"", "\"text\":\"after the drop\"");
            assertTrue(server.process().isAlive(), "the supervisor is unaffected");
        }
    }

    @Test
    void aClientThatStopsAnsweringPingsIsClosedAfterThePingTimeoutAndOneThatAnswersStays() throws Exception {
        try (var server = ForkcastServer.start("--ws-ping-interval", "1s");
                var live = open(server, 0);
                var silent = open(server, 0)) {
            live.expect("\"type\":\"welcome\"");
            silent.expect("\"type\":\"welcome\"");
            long welcomed = System.nanoTime();
            silent.answerPings(false); // half open: nothing comes back from it any more
            // The live one reads (and answers) all along, on its own thread: unread, its pings would go unanswered.
            CompletableFuture<Void> answering = CompletableFuture.runAsync(
                    () -> {
                        try {
                            live.awaitPings(4, WAIT); // well past the point where the silent one is closed
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    THREADS);
            assertEquals(1001, silent.awaitClose(WAIT), silent.closeReason());
            long closedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - welcomed);
            assertEquals("no answer to ping", silent.closeReason());
            assertEquals(1, silent.pings(), "one ping, then the close");
            assertTrue(closedAfterMillis >= 1500, "a ping after 1 s, the close a second later: " + closedAfterMillis);
            assertTrue(silent.awaitEnd(WAIT), "the server ends the connection it gave up on");
            awaitLeft(server, silent, "ping_timeout");

            answering.get(60, TimeUnit.SECONDS);
            live.send("/who");
            String who = live.expect("\"type\":\"who\"");
            assertFalse(who.contains(silent.address()), who);
        }
    }

    @Test
    void anOpenTabThatOnlyAnswersPingsIsStillDisconnectedAfterTheIdleTimeoutAndToldWhy() throws Exception {
        try (var server = ForkcastServer.start("--ws-ping-interval", "1s", "--idle-timeout", "4s");
                var tab = open(server, 0)) {
            tab.expect("\"type\":\"welcome\"");
            long welcomed = System.nanoTime();
            // The tab answers every ping (awaitClose reads, and pongs), and sends nothing else.
            assertEquals(1001, tab.awaitClose(WAIT), tab.closeReason());
            long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - welcomed);
            assertTrue(tab.pings() >= 2, "pings answered before the idle close: " + tab.pings());
            assertTrue(idleMillis >= 3500, "closed after " + idleMillis + " ms");
            assertEquals("idle for too long, disconnecting", tab.closeReason());
            assertTrue(
                    tab.seen().stream()
                            .anyMatch(t -> t.contains("\"type\":\"notice\"")
                                    && t.contains("\"text\":\"idle for too long, disconnecting\"")),
                    tab.seen().toString());
            server.awaitLog("event=client_idle peer=" + Pattern.quote(tab.address()) + " ");
            awaitLeft(server, tab, "idle");
            // The tab answers the close, as a browser does; the server then ends the connection.
            tab.sendFrame(0x88, new byte[] {0x03, (byte) 0xE9}, true);
            assertTrue(tab.awaitEnd(WAIT), "the server ends the connection after the close handshake");
        }
    }

    @Test
    void aClientHeldWhileTheSupervisorIsBehindIsNotClosedForPongsItsOwnWorkerLeftUnread() throws Exception {
        try (var server = ForkcastServer.start(
                        args(UNLIMITED_FLOOD, "--ws-ping-interval", "1s", "--history-lines", "0"));
                var clock = open(server, 0);
                var held = open(server, 0)) {
            clock.expect("\"type\":\"welcome\"");
            held.expect("\"type\":\"welcome\"");
            // Both read (and answer pings) on threads of their own from here on. The clock's worker pings it every
            // second whatever the supervisor does: its pings tell the time as the workers count it.
            CompletableFuture<Void> clockRead = CompletableFuture.runAsync(
                    () -> readOn(() -> clock.awaitPings(Integer.MAX_VALUE, WAIT.multipliedBy(4))), THREADS);
            CompletableFuture<String> heldRead = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return held.expect(t -> t.contains("\"type\":\"who\""), WAIT.multipliedBy(4));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    THREADS);
            server.signal("STOP");
            CompletableFuture<Void> writer;
            try {
                // More lines than the hub's backlog holds: acknowledged by no one, they hold the client, which its
                // worker then does not read (TCP pushes back), pongs included.
                writer = CompletableFuture.runAsync(
                        () -> readOn(() -> {
                            for (int i = 1; i <= 6000; i++) {
                                held.send("held " + i);
                            }
                        }),
                        THREADS);
                server.awaitLog("event=client_held peer=" + Pattern.quote(held.address()) + " ");
                int pings = clock.pings();
                Await.until(WAIT, "three more pings of the clock", () -> clock.pings() >= pings + 3);
                assertFalse(
                        heldRead.isDone(),
                        () -> "held and closed: " + heldRead.handle((t, e) -> e).join());
            } finally {
                server.signal("CONT");
            }
            writer.get(60, TimeUnit.SECONDS);
            held.send("/who");
            String who = heldRead.get(60, TimeUnit.SECONDS);
            assertTrue(who.contains(held.address()), who);
            assertFalse(clockRead.isDone(), "the clock client is still open and read");
        }
    }

    /** Runs {@code io}, an IOException ending it quietly (the connection closed under it at the test's end). */
    private static void readOn(IoAction io) {
        try {
            io.run();
        } catch (IOException closed) {
            // The test is over, or an assertion on the connection says what went wrong.
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
