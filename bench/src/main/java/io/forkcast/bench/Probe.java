package io.forkcast.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The "served" of figure 6's curve: every sampling interval the oldest client still open sends one probe line
 * ({@code ~P NONCE SEQ}); the clients that received it before the next one are served, and both counts go to
 * the {@link Sampler}. One line per interval from one client: far below any flood limit. Confined to the loop
 * thread.
 */
final class Probe implements LongConsumer {
    private final Loop loop;
    private final Sampler sampler;
    private final String nonce = Long.toString(System.nanoTime(), 36);
    private final byte[] tag = Lines.tag("~P " + nonce);
    private final int[] parsed = new int[1];
    private long nextNanos;
    private long nextCountNanos;
    private long seq;
    /** Receipts of probe {@code seq}; those of the probe before it, once the interval is over. */
    private int received;

    private int servedBefore = -1;

    Probe(Loop loop, Sampler sampler) {
        this.loop = loop;
        this.sampler = sampler;
        this.nextNanos = System.nanoTime() + sampler.intervalNanos();
    }

    /** Counts a receipt of the current probe; other lines are ignored. */
    void onLine(byte[] buffer, int offset, int length) {
        int at = Lines.afterTag(buffer, offset, length, tag);
        if (at >= 0 && Lines.number(buffer, at, offset + length, parsed) == seq) {
            received++;
        }
    }

    @Override
    public void accept(long now) {
        if (now < nextCountNanos) {
            return;
        }
        // The connected count is published every 200 ms, so that no sample reads one an interval old.
        nextCountNanos = now + Math.min(sampler.intervalNanos(), TimeUnit.MILLISECONDS.toNanos(200));
        var live = loop.live();
        if (now >= nextNanos) {
            nextNanos = now + sampler.intervalNanos();
            servedBefore = seq == 0 ? -1 : received;
            if (!live.isEmpty()) {
                seq++;
                received = 0;
                live.get(0).send(("~P " + nonce + " " + seq + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        sampler.publish(live.size(), servedBefore);
    }
}
