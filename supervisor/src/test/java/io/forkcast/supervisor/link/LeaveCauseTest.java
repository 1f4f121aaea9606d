package io.forkcast.supervisor.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaveCauseTest {
    @Test
    void theCountedCausesAreTheWordsStatsHasAlwaysShownInTheirOrder() {
        assertEquals(
                List.of(
                        "quit",
                        "eof",
                        "reset",
                        "flood",
                        "slow",
                        "slow_worker",
                        "kicked",
                        "rejected",
                        "hub_error",
                        "disconnected",
                        "other"),
                LeaveCause.COUNTED.stream().map(LeaveCause::word).toList());
    }

    @Test
    void aWorkersOwnWordCountsAsOtherAndSupervisorOnlyCausesToo() {
        assertEquals(LeaveCause.FLOOD, LeaveCause.ofWord("flood"));
        assertEquals(LeaveCause.OTHER, LeaveCause.ofWord("gremlins"));
        assertEquals(LeaveCause.OTHER, LeaveCause.RETIRED.counter());
        assertEquals(LeaveCause.KICKED, LeaveCause.KICKED.counter());
    }
}
