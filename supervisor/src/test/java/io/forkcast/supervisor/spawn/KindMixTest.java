package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KindMixTest {
    @Test
    void aFreshServerHasSeenNoKind() {
        var mix = new KindMix();
        assertFalse(mix.seen("telnet"));
        assertFalse(mix.seen("websocket"));
    }

    @Test
    void aKindIsSeenUntilWindowArrivalsOfOtherKindsFollowIt() {
        var mix = new KindMix();
        mix.arrived("mqtt");
        for (int i = 0; i < KindMix.WINDOW - 1; i++) {
            mix.arrived("telnet");
            assertTrue(mix.seen("mqtt"), "after " + (i + 1) + " telnet arrivals");
        }
        mix.arrived("telnet");
        assertFalse(mix.seen("mqtt"));
        assertTrue(mix.seen("telnet"));
        assertFalse(mix.seen("broker"));
    }
}
