package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineOrderTest {
    private static final long HOLD = 10_000;

    private final LineOrder<String> order = new LineOrder<>(HOLD);

    private List<String> offer(String node, long inc, long r, long now) {
        return order.offer(node, "lobby", inc, r, node + inc + ":" + r, now);
    }

    @Test
    void eventsInOrderGoOutAtOnceAndACopyIsDropped() {
        assertEquals(List.of("a1:5"), offer("a", 1, 5, 0), "the first seen sets the start");
        assertEquals(List.of("a1:6"), offer("a", 1, 6, 0));
        assertEquals(List.of(), offer("a", 1, 6, 0), "by the stream after core NATS");
        assertEquals(List.of(), offer("a", 1, 5, 0));
        assertEquals(2, order.duplicates());
        assertEquals(List.of("b1:1"), offer("b", 1, 1, 0), "each node its own numbers");
    }

    @Test
    void aLaterEventWaitsForTheGapAndAllGoOutInOrder() {
        offer("a", 1, 1, 0);
        assertEquals(List.of(), offer("a", 1, 3, 0));
        assertEquals(List.of(), offer("a", 1, 4, 0));
        assertEquals(2, order.held());
        assertEquals(List.of(), offer("a", 1, 4, 0), "a copy of a held one");
        assertEquals(List.of("a1:2", "a1:3", "a1:4"), offer("a", 1, 2, 5));
        assertEquals(0, order.held());
        assertEquals(0, order.gaps());
    }

    @Test
    void aGapNotFilledWithinTheHoldIsGivenUpAndItsEventIsGivenOutLateNotLost() {
        offer("a", 1, 1, 0);
        offer("a", 1, 3, 100);
        assertEquals(List.of(), order.expire(100 + HOLD - 1));
        assertEquals(List.of("a1:3"), order.expire(100 + HOLD));
        assertEquals(1, order.gaps());
        assertEquals(List.of("a1:4"), offer("a", 1, 4, 0));
        assertEquals(List.of("a1:2"), offer("a", 1, 2, 0), "late, not lost");
        assertEquals(1, order.late());
        assertEquals(List.of(), offer("a", 1, 2, 0), "and once");
    }

    @Test
    void aNewIncarnationStartsAfreshAfterWhatTheOldOneLeftHeld() {
        offer("a", 1, 1, 0);
        offer("a", 1, 3, 0);
        assertEquals(List.of("a1:3", "a2:1"), offer("a", 2, 1, 0));
        assertEquals(List.of(), offer("a", 1, 4, 0), "the ended run, late");
        assertEquals(0, order.held());
    }

    @Test
    void aRoomLeftOrANodeGoneIsForgotten() {
        offer("a", 1, 1, 0);
        offer("a", 1, 3, 0);
        order.forgetRoom("lobby");
        assertEquals(0, order.held());
        assertEquals(List.of("a1:9"), offer("a", 1, 9, 0), "listening again: a fresh start");
        order.forgetNode("a");
        assertEquals(List.of("a1:20"), offer("a", 1, 20, 0));
    }

    @Test
    void tooManyHeldGiveTheGapUpAtOnce() {
        offer("a", 1, 1, 0);
        var out = new ArrayList<String>();
        for (long r = 3; r <= 3 + LineOrder.MAX_HELD; r++) {
            out.addAll(offer("a", 1, r, 0));
        }
        assertEquals(LineOrder.MAX_HELD + 1, out.size());
        assertEquals("a1:3", out.getFirst());
        assertEquals(List.of("a1:2"), offer("a", 1, 2, 0), "late, not lost");
    }
}
