package io.forkcast.supervisor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {
    private static final long MS = 1_000_000;
    private final FailureThrottle throttle = new FailureThrottle(Duration.ofMillis(500), Duration.ofSeconds(30), 100);
    /** An arbitrary start: nanoTime values may be negative. */
    private long now = -7_000_000_000L;

    @Test
    void eachFailureInARowDoublesTheDelayUpToTheCap() {
        var delays = new ArrayList<Long>();
        for (int i = 0; i < 10; i++) {
            delays.add(throttle.failed("alice", "10.0.0.1", now) / MS);
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L, 30000L), delays);
        assertEquals(30_000, throttle.delayNanos(Integer.MAX_VALUE) / MS);
        assertEquals(0, throttle.delayNanos(0));
    }

    @Test
    void aCheckWaitsForTheLaterOfItsAddresssAndItsUsersDelay() {
        throttle.failed("alice", "10.0.0.1", now); // alice 1, address 1: 500 ms
        throttle.failed("bob", "10.0.0.1", now); // bob 1, address 2: 1000 ms
        assertEquals(now + 1000 * MS, throttle.notBefore("carol", "10.0.0.1", now));
        assertEquals(now + 500 * MS, throttle.notBefore("alice", "10.0.0.2", now));
        assertEquals(now + 1000 * MS, throttle.notBefore("alice", "10.0.0.1", now));
        assertEquals(now, throttle.notBefore("carol", "10.0.0.2", now));
        assertEquals(1000 * MS, throttle.failed("bob", "10.0.0.2", now), "bob's second failure, the address's first");
    }

    @Test
    void aSuccessForgetsTheUsersAndTheAddresssFailures() {
        throttle.failed("alice", "10.0.0.1", now);
        throttle.failed("alice", "10.0.0.1", now);
        throttle.succeeded("alice", "10.0.0.1");
        assertEquals(now, throttle.notBefore("alice", "10.0.0.1", now));
        assertEquals(500 * MS, throttle.failed("alice", "10.0.0.1", now));
    }

    @Test
    void failuresAreForgottenTwiceTheLongestDelayAfterTheLast() {
        throttle.failed("alice", "10.0.0.1", now);
        throttle.failed("alice", "10.0.0.1", now);
        now += 60_000 * MS - 1;
        throttle.notBefore("x", "y", now);
        assertEquals(2, throttle.addressFailures("10.0.0.1"));
        now += 1;
        throttle.notBefore("x", "y", now);
        assertEquals(0, throttle.addressFailures("10.0.0.1"));
        assertEquals(0, throttle.userFailures("alice"));
        assertEquals(0, throttle.size());
    }

    @Test
    void eachTableKeepsItsNewestEntriesUpToItsCap() {
        for (int i = 0; i < 250; i++) {
            throttle.failed("user" + i, "10.0.0." + i, now + i);
        }
        assertEquals(200, throttle.size());
        assertEquals(0, throttle.userFailures("user149"));
        assertEquals(1, throttle.userFailures("user150"));
        assertEquals(1, throttle.addressFailures("10.0.0.249"));
    }

    @Test
    void aZeroFirstDelaySlowsNothing() {
        var off = new FailureThrottle(Duration.ZERO, Duration.ZERO, 10);
        assertEquals(0, off.failed("alice", "10.0.0.1", now));
        assertEquals(now, off.notBefore("alice", "10.0.0.1", now));
    }
}
