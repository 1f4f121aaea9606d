package io.forkcast.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Opens connections on an open-loop schedule: one every 1/rate seconds, until {@code count} are open or the
 * schedule's duration ends. A slot is skipped (and counted) when {@code maxInFlight} connections already wait
 * for their banner or {@code mayOpen} says no; a connection without its banner after {@code bannerTimeout} is
 * closed and counted as failed. Used as the tick of a {@link Loop}; confined to its thread.
 */
final class Arrivals implements LongConsumer, Conn.Listener {
    private final Loop loop;
    private final Conn.Listener scenario;
    private final long intervalNanos;
    private final int count;
    private final long endNanos;
    private final int maxInFlight;
    private final BooleanSupplier mayOpen;
    private final long bannerTimeoutNanos;
    private long nextNanos;
    private long lastTimeoutCheck;
    int opened;
    int skipped;
    int banners;
    int failed;
    int inFlight;
    boolean stoppedByGuard;
    /** Why connections closed before their banner: cause to count. */
    final java.util.TreeMap<String, Integer> failures = new java.util.TreeMap<>();

    Arrivals(
            Loop loop,
            Conn.Listener scenario,
            double ratePerSecond,
            int count,
            long durationNanos,
            int maxInFlight,
            long bannerTimeoutNanos,
            BooleanSupplier mayOpen) {
        this.loop = loop;
        this.scenario = scenario;
        this.intervalNanos = (long) (1e9 / ratePerSecond);
        this.count = count;
        long now = System.nanoTime();
        this.nextNanos = now;
        this.endNanos = now + durationNanos;
        this.maxInFlight = maxInFlight;
        this.bannerTimeoutNanos = bannerTimeoutNanos;
        this.mayOpen = mayOpen;
    }

    /** True when no more connections will be opened. */
    boolean scheduleOver(long now) {
        return opened >= count || now >= endNanos || stoppedByGuard;
    }

    /** True when the schedule is over and no connection still waits for its banner. */
    boolean settled() {
        return scheduleOver(System.nanoTime()) && inFlight == 0;
    }

    long endNanos() {
        return endNanos;
    }

    @Override
    public void accept(long now) {
        while (!scheduleOver(now) && now >= nextNanos) {
            nextNanos += intervalNanos;
            if (inFlight >= maxInFlight) {
                skipped++;
                continue;
            }
            if (!mayOpen.getAsBoolean()) {
                stoppedByGuard = true;
                break;
            }
            opened++;
            inFlight++;
            loop.open(this);
        }
        if (now - lastTimeoutCheck > TimeUnit.MILLISECONDS.toNanos(100)) {
            lastTimeoutCheck = now;
            for (var conn : loop.conns) {
                if (!conn.closed && !conn.hasBanner() && now - conn.openedNanos > bannerTimeoutNanos) {
                    conn.close(now, "banner_timeout");
                }
            }
        }
    }

    /** The failure causes as {@code cause:count,...}, or "-". */
    String failureCauses() {
        if (failures.isEmpty()) {
            return "-";
        }
        var sb = new StringBuilder();
        failures.forEach((cause, n) ->
                sb.append(sb.isEmpty() ? "" : ",").append(cause).append(':').append(n));
        return sb.toString();
    }

    /** Time until the next slot, for the loop's select timeout. */
    long tickNanos() {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(intervalNanos, TimeUnit.MILLISECONDS.toNanos(50)));
    }

    @Override
    public void onBanner(Conn conn, long nowNanos) {
        banners++;
        inFlight--;
        scenario.onBanner(conn, nowNanos);
    }

    @Override
    public void onLine(Conn conn, byte[] buffer, int offset, int length, long nowNanos) {
        scenario.onLine(conn, buffer, offset, length, nowNanos);
    }

    @Override
    public void onClosed(Conn conn, long nowNanos, String cause) {
        if (!conn.hasBanner()) {
            failed++;
            failures.merge(cause, 1, Integer::sum);
            inFlight--;
        }
        scenario.onClosed(conn, nowNanos, cause);
    }
}
