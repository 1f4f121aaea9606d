package io.forkcast.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Broadcast latency (figure 4): {@code clients} connected, the first sends {@code lines_per_s} lines of
 * {@code line_bytes} bytes for {@code seconds}; each line carries its send time from System.nanoTime() of this
 * JVM, which also timestamps each receipt (after the read that completed the line), so the clocks agree. With
 * {@code rooms} (figure 7), the line reaches the sender's room only.
 */
final class BroadcastScenario {
    private static final byte[] TAG = Lines.tag("~B");

    private BroadcastScenario() {}

    static Map<String, String> run(Server server, Params p) throws java.io.IOException, InterruptedException {
        double linesPerSecond = p.decimal("lines_per_s", 100);
        double seconds = p.decimal("seconds", 10);
        int lineBytes = p.integer("line_bytes", 100);
        int total = (int) (linesPerSecond * seconds);
        int[] received = {0};
        long[] latencies = new long[Math.max(1, total * p.integer("clients", 50))];
        int[] parsed = new int[1];
        var listener = new Conn.Listener() {
            @Override
            public void onLine(Conn conn, byte[] buffer, int offset, int length, long now) {
                int at = Lines.afterTag(buffer, offset, length, TAG);
                if (at < 0) {
                    return;
                }
                int end = offset + length;
                Lines.number(buffer, at, end, parsed); // sequence number
                long sentNanos = Lines.number(buffer, parsed[0], end, parsed);
                if (received[0] < latencies.length) {
                    latencies[received[0]] = now - sentNanos;
                }
                received[0]++;
            }
        };
        var room = Room.fill(server, p, listener, 50);
        try (var loop = room.loop) {
            var live = room.live();
            var r = new LinkedHashMap<String, String>();
            r.put("connected", Integer.toString(live.size()));
            if (live.size() < 2) {
                return r;
            }
            var sender = live.get(0);
            long interval = (long) (1e9 / linesPerSecond);
            long start = System.nanoTime();
            int[] sent = {0};
            loop.runUntil(
                    () -> sent[0] >= total,
                    (long) (seconds * 1e9) + TimeUnit.SECONDS.toNanos(5),
                    TimeUnit.MILLISECONDS.toNanos(1),
                    now -> {
                        while (sent[0] < total && now >= start + sent[0] * interval) {
                            sent[0]++;
                            // Stamped when written, not when scheduled: a late turn of the loop is not latency.
                            sender.send(Lines.padded("~B " + sent[0] + " " + System.nanoTime() + " ", lineBytes));
                        }
                    });
            int receivers = (int) live.stream()
                    .filter(c -> c != sender && Room.together(c, sender))
                    .count();
            int expected = sent[0] * receivers;
            loop.runUntil(() -> received[0] >= expected, TimeUnit.SECONDS.toNanos(10));
            int n = Math.min(received[0], latencies.length);
            r.put("p50_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, n, 50))));
            r.put("p99_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, n, 99))));
            r.put("max_ms", Stats.fmt(Stats.millis(Stats.percentile(latencies, n, 100))));
            r.put("sent", Integer.toString(sent[0]));
            r.put("expected", Integer.toString(expected));
            r.put("received", Integer.toString(received[0]));
            r.put("lost", Integer.toString(Math.max(0, expected - received[0])));
            return r;
        }
    }
}
