package io.forkcast.supervisor.meter;

import java.util.concurrent.TimeUnit;

/**
 * The last ten minutes of what the admin page charts, one point every {@link #INTERVAL_NANOS}: clients present,
 * deliveries per second since the point before, and memory in all (PSS of the supervisor and its workers). A ring
 * of {@link #POINTS} points; the oldest is overwritten. Confined to the loop thread.
 */
public final class History {
    public static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
    public static final int POINTS = 300;

    /** One point of the charts. */
    public record Point(long epochSeconds, long clients, long deliveriesPerSecond, long pssBytes) {}

    private final Point[] ring = new Point[POINTS];
    /** Where the next point goes. */
    private int next;

    private int size;
    private long lastNanos;
    private long lastDeliveries = -1;
    /** Deliveries per second between the last two points. */
    private long lastRate;

    /** True when the next point is due: the first at once, then one every interval. */
    public boolean due(long nowNanos) {
        return lastDeliveries < 0 || nowNanos - lastNanos >= INTERVAL_NANOS;
    }

    /**
     * Records a point ({@link #due} says when). {@code deliveries} is the running total; the point carries its
     * rate since the point before.
     */
    public void record(long nowNanos, long epochSeconds, long clients, long deliveries, long pssBytes) {
        long rate = 0;
        if (lastDeliveries >= 0 && nowNanos > lastNanos) {
            rate = (deliveries - lastDeliveries) * 1_000_000_000L / (nowNanos - lastNanos);
        }
        lastNanos = nowNanos;
        lastDeliveries = deliveries;
        lastRate = rate;
        ring[next] = new Point(epochSeconds, clients, rate, pssBytes);
        next = (next + 1) % POINTS;
        size = Math.min(size + 1, POINTS);
    }

    /** Deliveries per second over the last interval. */
    public long deliveriesPerSecond() {
        return lastRate;
    }

    /** The points, oldest first. */
    public java.util.List<Point> points() {
        var out = new java.util.ArrayList<Point>(size);
        for (int i = 0; i < size; i++) {
            out.add(ring[(next - size + i + POINTS) % POINTS]);
        }
        return out;
    }
}
