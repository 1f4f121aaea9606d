package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateWindowTest {
    private final DuplicateWindow window = new DuplicateWindow();

    @Test
    void aMessageIsTakenOnceInOrderOrOutOfOrderWithinTheWindow() {
        assertTrue(window.firstSight("a", 1, 1));
        assertTrue(window.firstSight("a", 1, 3));
        assertFalse(window.firstSight("a", 1, 3));
        assertTrue(window.firstSight("a", 1, 2), "late but within the window");
        assertFalse(window.firstSight("a", 1, 2));
        assertFalse(window.firstSight("a", 1, 1));
        assertTrue(window.firstSight("b", 1, 1), "each origin has its own numbers");
    }

    @Test
    void olderThanTheWindowIsDroppedAndANewIncarnationStartsAfresh() {
        assertTrue(window.firstSight("a", 1, 1000));
        assertFalse(window.firstSight("a", 1, 1000 - DuplicateWindow.WIDTH));
        assertTrue(window.firstSight("a", 1, 1000 - DuplicateWindow.WIDTH + 1));
        assertTrue(window.firstSight("a", 2, 1), "the node restarted");
        assertFalse(window.firstSight("a", 1, 1001), "a message of the run that ended");
        window.forget("a");
        assertTrue(window.firstSight("a", 2, 1));
    }

    @Test
    void aNodeSilentPastTheTimeoutExpiresOnceAndIsNewWhenHeardAgain() {
        var watch = new NodeWatch(3_000);
        assertTrue(watch.heard("b", 0));
        assertFalse(watch.heard("b", 1_000));
        assertTrue(watch.heard("c", 2_000));
        assertEquals(List.of(), watch.expired(4_000));
        assertEquals(List.of("b"), watch.expired(4_001));
        assertEquals(List.of(), watch.expired(4_002));
        assertEquals(1, watch.size());
        assertTrue(watch.heard("b", 5_000));
    }
}
