package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamOutboxTest {
    private static final long RESEND = 4_000;
    private static final long RETRY = 1_000;

    private final StreamOutbox outbox = new StreamOutbox(3, RESEND, RETRY);

    private StreamOutbox.Entry add(long n, long now) {
        return outbox.add(
                n, "forkcast.room.lobby.say", ("line " + n).getBytes(StandardCharsets.UTF_8), "a.1." + n, now);
    }

    private static List<Long> numbers(List<StreamOutbox.Entry> entries) {
        return entries.stream().map(e -> e.n).toList();
    }

    @Test
    void anAcknowledgedEventLeavesAndAFailedOneIsDueAgainInOrder() {
        add(1, 0);
        add(2, 0);
        add(3, 0);
        outbox.acked(2);
        assertEquals(2, outbox.pending());
        assertEquals(List.of(), numbers(outbox.due(10)), "in flight, not yet unanswered for long");
        outbox.failed(3, 1);
        outbox.failed(1, 1);
        assertEquals(List.of(), numbers(outbox.due(RETRY - 1)), "a failure is retried after a while");
        var due = outbox.due(RETRY);
        assertEquals(List.of(1L, 3L), numbers(due), "oldest first");
        assertEquals(2, due.getFirst().attempt);
        assertEquals(2, outbox.resent());
        assertEquals(List.of(), numbers(outbox.due(RETRY + 30)), "sent again: in flight");
    }

    @Test
    void aFailureOfAnOlderAttemptIsIgnoredButItsAckCounts() {
        add(1, 0);
        outbox.failed(1, 1);
        assertEquals(1, outbox.due(RETRY).size()); // attempt 2 in flight
        outbox.failed(1, 1); // the first attempt's timeout, late
        assertEquals(List.of(), numbers(outbox.due(2 * RETRY)), "attempt 2 is still in flight");
        outbox.acked(1); // whichever attempt got stored
        assertEquals(0, outbox.pending());
        assertEquals(1, outbox.acked());
        outbox.acked(1);
        assertEquals(1, outbox.acked(), "an ack of a second copy counts once");
    }

    @Test
    void anEventUnansweredForTheResendTimeIsDueAgain() {
        add(1, 0);
        add(2, 3_000);
        assertEquals(List.of(1L), numbers(outbox.due(RESEND)));
        assertEquals(List.of(2L), numbers(outbox.due(3_000 + RESEND)));
    }

    @Test
    void everythingGoesAgainAfterAReconnection() {
        add(1, 0);
        add(2, 0);
        assertEquals(List.of(1L, 2L), numbers(outbox.everything(5)));
        assertEquals(2, outbox.resent());
    }

    @Test
    void pastTheBoundEventsAreDroppedCountedAndTheDropIsToldOncePerEpisode() {
        add(1, 0);
        add(2, 0);
        add(3, 0);
        assertNull(add(4, 0));
        assertTrue(outbox.firstDropOfEpisode());
        assertNull(add(5, 0));
        assertFalse(outbox.firstDropOfEpisode(), "told once");
        assertEquals(2, outbox.dropped());
        assertEquals(3, outbox.pending());
        outbox.acked(1);
        assertNotNull(add(6, 0), "room again");
        assertNull(add(7, 0));
        assertTrue(outbox.firstDropOfEpisode(), "a new episode is told again");
        assertEquals(3, outbox.dropped());
    }
}
