package io.forkcast.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Connect, wait for the banner, close: at {@code rate} per second, {@code count} times or for {@code seconds},
 * with at most {@code in_flight} connections waiting for a banner at once. Measures connect() to the banner's
 * last byte, the rate of banners achieved inside the window, and CPU per connection: the whole server tree's
 * CPU (supervisor, live workers, and workers it has reaped, from /proc/PID/stat utime+stime+cutime+cstime)
 * from quiet before to quiet after, divided by the banners served. Serves figures 1 and 2.
 */
final class ConnectScenario {
    private ConnectScenario() {}

    static Map<String, String> run(Server server, Params p) throws java.io.IOException, InterruptedException {
        double rate = p.decimal("rate", 10);
        int count = p.integer("count", 100);
        long window = TimeUnit.MILLISECONDS.toNanos((long) (p.decimal("seconds", 3600) * 1000));
        int maxInFlight = p.integer("in_flight", 1_000_000);
        long bannerTimeout = TimeUnit.SECONDS.toNanos(p.integer("banner_timeout", 30));

        Tree.settle(server, 30_000);
        int spares = server.workers().size(); // a server with a warm pool keeps some workers ready
        long ticksBefore = Tree.ticks(server);
        long spawnsBefore = server.events("spawn");
        var latencies = new long[Math.min(count, 1_000_000)];
        int[] n = {0};
        long[] windowBanners = {0};
        try (var loop = new Loop(server.host(), server.port())) {
            var listener = new Conn.Listener() {
                @Override
                public void onBanner(Conn conn, long now) {
                    if (n[0] < latencies.length) {
                        latencies[n[0]++] = now - conn.openedNanos;
                    }
                    conn.close(now, "done");
                }
            };
            var arrivals = new Arrivals(loop, listener, rate, count, window, maxInFlight, bannerTimeout, () -> true);
            var wrapped = (java.util.function.LongConsumer) now -> {
                arrivals.accept(now);
                if (now <= arrivals.endNanos()) {
                    windowBanners[0] = arrivals.banners;
                }
            };
            long started = System.nanoTime();
            loop.runUntil(
                    arrivals::settled,
                    window + bannerTimeout + TimeUnit.SECONDS.toNanos(10),
                    arrivals.tickNanos(),
                    wrapped);
            double windowSeconds = Math.min(System.nanoTime(), arrivals.endNanos()) - started;
            windowSeconds = Math.min(windowSeconds, (double) window) / 1e9;
            // Every served worker exits after its client closes; wait for that before reading the CPU.
            server.awaitWorkersAtMost(spares, 60_000);
            Tree.settle(server, 30_000);
            long ticks = Tree.ticks(server) - ticksBefore;
            long spawns = server.events("spawn") - spawnsBefore;

            var r = new LinkedHashMap<String, String>();
            r.put("p50_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, n[0], 50))));
            r.put("p99_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, n[0], 99))));
            r.put("max_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, n[0], 100))));
            r.put("opened", Integer.toString(arrivals.opened));
            r.put("banners", Integer.toString(arrivals.banners));
            r.put("failed", Integer.toString(arrivals.failed));
            r.put("failed_causes", arrivals.failureCauses());
            r.put("skipped", Integer.toString(arrivals.skipped));
            r.put("target_per_s", Stats.fmt(rate));
            r.put("achieved_per_s", Stats.fmt(windowBanners[0] / windowSeconds));
            r.put(
                    "cpu_ms_per_conn",
                    Stats.fmt(arrivals.banners == 0 ? Double.NaN : Proc.ticksToMillis(ticks) / arrivals.banners));
            r.put("spawns", Long.toString(spawns));
            r.put("cpu_ms_per_spawn", Stats.fmt(spawns == 0 ? Double.NaN : Proc.ticksToMillis(ticks) / spawns));
            return r;
        }
    }
}
