package io.forkcast.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Figure 6's curve over time: every {@code interval}, on a thread of its own (reading a thousand smaps_rollup
 * files must not hold up the load generator's loop), the server tree's CPU since the last sample in % of one
 * core and its total PSS (supervisor and every child), with the connected and served counts that the loop
 * thread last published; one {@code SAMPLE scenario=NAME t_s= connected= served= cpu_pct= pss_mib=} line on
 * stdout each. Thread-safe: {@link #publish} from the loop thread, {@link #close} from any.
 */
final class Sampler implements AutoCloseable {
    private final Server server;
    private final String scenario;
    private final long intervalNanos;
    private final AtomicInteger connected = new AtomicInteger();
    /** -1 until the first probe has had its interval to arrive. */
    private final AtomicInteger served = new AtomicInteger(-1);

    private final Thread thread;
    private volatile boolean stopping;

    private Sampler(Server server, String scenario, long intervalNanos) {
        this.server = server;
        this.scenario = scenario;
        this.intervalNanos = intervalNanos;
        this.thread = Thread.ofPlatform().daemon().name("sampler").unstarted(this::run);
    }

    static Sampler start(Server server, String scenario, double seconds) {
        var sampler = new Sampler(server, scenario, (long) (seconds * 1e9));
        sampler.thread.start();
        return sampler;
    }

    long intervalNanos() {
        return intervalNanos;
    }

    /** Clients with their banner and still open, and those of them that got the last probe line. */
    void publish(int connectedNow, int servedNow) {
        connected.set(connectedNow);
        served.set(servedNow);
    }

    private void run() {
        long start = System.nanoTime();
        long lastNanos = start;
        long lastTicks = Proc.treeTicks(server.pid());
        while (!stopping) {
            try {
                TimeUnit.NANOSECONDS.sleep(lastNanos + intervalNanos - System.nanoTime());
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long ticks = Proc.treeTicks(server.pid());
            long pssKib = pssKib();
            double cpuPct = Proc.ticksToMillis(ticks - lastTicks) / ((now - lastNanos) / 1e6) * 100;
            int servedNow = served.get();
            System.out.println("SAMPLE scenario=" + scenario + " t_s=" + Stats.fmt((now - start) / 1e9) + " connected="
                    + connected.get() + " served=" + (servedNow < 0 ? "-" : Integer.toString(servedNow))
                    + " cpu_pct=" + Stats.fmt(cpuPct) + " pss_mib=" + Stats.fmt(pssKib / 1024.0));
            lastNanos = now;
            lastTicks = ticks;
        }
    }

    private long pssKib() {
        var sup = Proc.memory(server.pid());
        long total = sup == null ? 0 : sup.pssKib();
        for (long pid : server.workers()) {
            var m = Proc.memory(pid);
            total += m == null ? 0 : m.pssKib();
        }
        return total;
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
