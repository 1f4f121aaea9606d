package io.forkcast.supervisor.spawn;

import io.forkcast.supervisor.config.PoolSettings;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The warm pool: spare workers started ahead of demand, connected and waiting, so that a new client is handed to
 * a running JVM instead of waiting for one to start. Refills ramp like Apache's prefork (1, 2, 4 ... spares per
 * second, up to a cap) so that a burst of connections does not start a burst of JVMs. Confined to the loop
 * thread.
 *
 * @param <S> a spare's hub link
 */
public final class Pool<S extends Pool.Spare> {
    /** What the pool needs to know of a spare's link. */
    public interface Spare {
        long pid();

        /** When the spare connected to the hub: its age decides when it is retired. */
        long connectedAtNanos();
    }

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int minSpare;
    private final int maxSpare;
    private final int rampMax;
    private final long maxAgeNanos;
    private final ArrayDeque<S> idle = new ArrayDeque<>();
    private final Set<Long> starting = new HashSet<>();
    private long windowStartNanos;
    private int windowBudget;
    private int spawnedInWindow;
    /** The first second, when the whole minimum starts at once; the ramp proper begins after it. */
    private boolean firstWindow = true;

    public Pool(int minSpare, int maxSpare, int rampMax, long maxAgeNanos, long nowNanos) {
        this.minSpare = minSpare;
        this.maxSpare = maxSpare;
        this.rampMax = rampMax;
        this.maxAgeNanos = maxAgeNanos;
        this.windowStartNanos = nowNanos;
        // At start the whole minimum is started at once, as prefork servers start their first servers.
        this.windowBudget = Math.max(1, minSpare);
    }

    /** A pool of {@code settings}, its first second starting at {@code nowNanos}. */
    public static <S extends Spare> Pool<S> of(PoolSettings settings, long nowNanos) {
        return new Pool<>(
                settings.minSpare(),
                settings.maxSpare(),
                settings.rampMax(),
                settings.spareMaxAge().toNanos(),
                nowNanos);
    }

    /** The spares kept started (pool_min_spare); 0: no pool. */
    public int minSpare() {
        return minSpare;
    }

    public void started(long pid) {
        starting.add(pid);
        spawnedInWindow++;
    }

    /** A starting spare is gone (died, refused, or never connected). */
    public void lost(long pid) {
        starting.remove(pid);
    }

    public void ready(S link) {
        starting.remove(link.pid());
        idle.add(link);
    }

    /** The longest-idle spare, or null when the pool is empty. */
    public S take() {
        return idle.poll();
    }

    public void remove(S link) {
        idle.remove(link);
        starting.remove(link.pid());
    }

    public int idle() {
        return idle.size();
    }

    public int starting() {
        return starting.size();
    }

    public Iterable<S> idleLinks() {
        return idle;
    }

    /** How many spares to start now, given room for {@code capacityLeft} more workers. */
    public int wanted(long nowNanos, int capacityLeft) {
        int deficit = minSpare - idle.size() - starting.size();
        if (nowNanos - windowStartNanos >= WINDOW_NANOS) {
            // Still short after a second: double the rate (the cap on JVMs starting at once may have kept this
            // second's starts below its budget; that is no reason to slow down). Caught up: back to one a second.
            windowBudget = deficit > 0 && !firstWindow ? Math.min(windowBudget * 2, rampMax) : 1;
            firstWindow = false;
            windowStartNanos = nowNanos;
            spawnedInWindow = 0;
        }
        return Math.max(0, Math.min(deficit, Math.min(windowBudget - spawnedInWindow, capacityLeft)));
    }

    /** An idle spare to retire now (one over the maximum, or the oldest past its age), or null. */
    public S retire(long nowNanos) {
        S oldest = idle.peek();
        if (oldest == null) {
            return null;
        }
        if (idle.size() > maxSpare || nowNanos - oldest.connectedAtNanos() > maxAgeNanos) {
            return idle.poll();
        }
        return null;
    }
}
