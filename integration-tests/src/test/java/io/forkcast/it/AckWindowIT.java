package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A line is acknowledged to its worker only once it is written to every recipient's link: a supervisor killed while
 * a slow recipient's backlog waits in its outbox loses none of the lines it acknowledged, because it acknowledged
 * none of those still queued, and the sender's worker resends them to the next supervisor.
 */
@Timeout(240)
class AckWindowIT {
    private static final int LINES = 1500;
    private static final String PAD = "w".repeat(400);

    @Test
    void aSupervisorKilledWithASlowRecipientsBacklogQueuedLosesNoAcknowledgedLine() throws Exception {
        var first = ForkcastServer.start(
                "--flood-lines-per-second", "1000000", "--flood-burst", "1000000", "--flood-bytes-per-second", "0");
        try (first;
                var sender = first.join();
                var reader = first.join();
                var slow = first.join()) {
            reader.expectLine(l -> l.contains("(" + slow.pid() + ") joined"));
            sender.expectLine(l -> l.contains("(" + slow.pid() + ") joined"));
            first.track(List.of(sender.pid(), reader.pid(), slow.pid()));
            long slowId = RawAdmin.idOf(first, slow);
            // The slow recipient's worker takes nothing: what passes its socket buffers waits in the supervisor.
            ForkcastServer.kill(slow.pid(), "STOP");
            try {
                sendPacedTo(sender, reader);
                try (var admin = AdminClient.connect(RawAdmin.socketOf(first))) {
                    long queued = admin.list().stream()
                            .filter(c -> c.id() == slowId)
                            .findFirst()
                            .orElseThrow()
                            .queuedBytes();
                    assertTrue(queued > 0, "the slow recipient's backlog is in the supervisor's outbox");
                }
                ForkcastServer.kill(first.pid(), "KILL");
            } finally {
                ForkcastServer.kill(slow.pid(), "CONT");
            }
            sender.expect("*** reconnecting to server...");
            try (var second = ForkcastServer.startAfter(first)) {
                second.track(List.of(sender.pid(), reader.pid(), slow.pid()));
                // Every line reaches the slow recipient once and in order: those its socket held before the kill,
                // then those its sender's worker resent because they were never acknowledged.
                String prefix = "[" + sender.address() + "] (" + sender.pid() + "): ";
                var got = new ArrayList<Integer>();
                while (got.size() < LINES) {
                    String line = slow.readLine(Duration.ofSeconds(30));
                    assertTrue(line != null, "closed after " + got.size() + " lines; " + slow.recent());
                    if (line.startsWith(prefix)) {
                        int n = Integer.parseInt(line.substring(prefix.length(), line.indexOf(' ', prefix.length())));
                        assertEquals(got.size() + 1, n, "line after " + got.size() + " of " + LINES);
                        got.add(n);
                    }
                }
                // The reader, which had them all, is shown none twice: the next line it sees is the new one.
                sender.send("after the restart");
                reader.expectLine(l -> l.startsWith(prefix));
                assertEquals(prefix + "after the restart", reader.seen().getLast());
                slow.expect(prefix + "after the restart");
            }
        }
    }

    /** Sends {@link #LINES} numbered lines from {@code sender}, at most a few hundred ahead of {@code reader}. */
    private static void sendPacedTo(TelnetClient sender, TelnetClient reader) throws Exception {
        var received = new AtomicInteger();
        var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
        var typing = Thread.ofPlatform().start(() -> {
            try {
                var text = new StringBuilder();
                for (int i = 1; i <= LINES; i++) {
                    text.append(i).append(' ').append(PAD).append("\r\n");
                    if (i % 100 == 0 || i == LINES) {
                        int before = i - 100;
                        Await.until(Duration.ofSeconds(60), "reader to catch up", () -> received.get() >= before - 200);
                        sender.sendRaw(text.toString().getBytes(StandardCharsets.US_ASCII));
                        text.setLength(0);
                    }
                }
            } catch (Exception e) {
                failure.set(e);
            }
        });
        String prefix = "[" + sender.address() + "] (" + sender.pid() + "): ";
        for (int i = 1; i <= LINES; i++) {
            assertEquals(prefix + i + " " + PAD, reader.readLine(), "line " + i + " at the reader");
            received.set(i);
        }
        typing.join();
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
