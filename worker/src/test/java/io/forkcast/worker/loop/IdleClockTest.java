package io.forkcast.worker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.worker.chat.Intent;
import org.junit.jupiter.api.Test;

class IdleClockTest {
    @Test
    void aReadOfKeepAlivesOnlyLeavesTheClockRunningAndAnyOtherReadMovesIt() {
        var clock = new IdleClock();
        clock.heard(1_000);
        assertEquals(0, clock.silentFor(5_000, false), "not welcomed yet: never idle");

        clock.feedStarts();
        clock.fed(new Intent.KeepAlive());
        clock.fed(new Intent.KeepAlive());
        clock.feedEnds(12, 2_000);
        assertEquals(4_000, clock.silentFor(5_000, true), "pings and pongs are not input");

        clock.feedStarts();
        clock.fed(new Intent.KeepAlive());
        clock.fed(new Intent.Say("hi"));
        clock.feedEnds(20, 3_000);
        assertEquals(2_000, clock.silentFor(5_000, true), "a line beside a pong is input");

        clock.feedStarts();
        clock.feedEnds(3, 4_000);
        assertEquals(1_000, clock.silentFor(5_000, true), "part of a frame, no intent yet: input");

        clock.feedStarts();
        clock.feedEnds(0, 4_500);
        assertEquals(1_000, clock.silentFor(5_000, true), "nothing read: nothing heard");
    }
}
