package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: tests wait for events, never for a fixed time. */
public final class Await {
    private Await() {}

    /** Returns the first non-null value of {@code probe}; fails with {@code what} (formatted with detail). */
    public static <T> T until(Duration timeout, String what, Supplier<T> probe, Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what.formatted(detail.get()));
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, what, () -> condition.getAsBoolean() ? Boolean.TRUE : null, () -> "");
    }
}
