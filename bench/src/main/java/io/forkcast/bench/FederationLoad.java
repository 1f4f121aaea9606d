package io.forkcast.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The federation figures (13) over clients spread across the nodes of any federated chat (forkcast nodes sharing
 * rooms through NATS, Socket.IO nodes through Redis), all in one room: (a) latency: the first client sends
 * {@code lines_per_s} lines for {@code seconds}, each carrying System.nanoTime() of this JVM, and each receipt is
 * timed by the same clock, counted as local (a client of the sender's node) or remote (any other node); (b)
 * deliveries/s: the first {@code senders} clients (one per node first) send as fast as they may for
 * {@code flood_seconds}, each at most {@code window} lines ahead of the slowest receiver of its lines, as in figure
 * 5. One virtual reader thread per client, one per sender.
 */
final class FederationLoad {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final List<? extends ChatLine> clients;
    private final int senders;
    /** Per client, lines received from each flood sender; written by that client's reader. */
    private final AtomicLongArray[] counts;

    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong reordered = new AtomicLong();
    private final AtomicLong lastDelivery = new AtomicLong();
    private final AtomicLong markers = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> local = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> remote = new ConcurrentLinkedQueue<>();

    private FederationLoad(List<? extends ChatLine> clients, int senders) {
        this.clients = clients;
        this.senders = senders;
        this.counts = new AtomicLongArray[clients.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new AtomicLongArray(senders);
        }
    }

    static Map<String, String> run(List<? extends ChatLine> clients, Params p) throws Exception {
        var load = new FederationLoad(clients, Math.min(p.integer("senders", 3), clients.size() - 1));
        for (int i = 0; i < clients.size(); i++) {
            int me = i;
            Thread.ofVirtual().start(() -> load.read(me));
        }
        var r = new LinkedHashMap<String, String>();
        r.put("connected", Integer.toString(clients.size()));
        load.awaitMarker();
        load.latency(p, r);
        load.flood(p, r);
        return r;
    }

    /** Client 0 says a marker once a second until every other client has one: every node listens to the room. */
    private void awaitMarker() throws IOException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (int k = 1; markers.get() < clients.size() - 1; k++) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the marker reached " + markers.get() + " of " + (clients.size() - 1));
            }
            clients.get(0).say("~M " + k);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (markers.get() < clients.size() - 1 && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private void latency(Params p, Map<String, String> r) throws Exception {
        double linesPerSecond = p.decimal("lines_per_s", 100);
        int total = (int) (linesPerSecond * p.decimal("seconds", 10));
        int lineBytes = p.integer("line_bytes", 100);
        var sender = clients.get(0);
        long interval = (long) (1e9 / linesPerSecond);
        long start = System.nanoTime();
        for (int sent = 1; sent <= total; sent++) {
            long wait = start + sent * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the schedule of an open loop
            }
            sender.say(pad("~T " + sent + " " + System.nanoTime() + " ", lineBytes));
        }
        long localReceivers = clients.subList(1, clients.size()).stream()
                .filter(c -> c.node() == sender.node())
                .count();
        long expected = total * (long) (clients.size() - 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (local.size() + remote.size() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        put(r, "local", local, total * localReceivers);
        put(r, "remote", remote, total * (clients.size() - 1 - localReceivers));
    }

    private static void put(Map<String, String> r, String name, ConcurrentLinkedQueue<Long> queue, long expected) {
        long[] values = queue.stream().mapToLong(Long::longValue).toArray();
        r.put(name + "_p50_ms", Stats.fmt(Stats.millis(Stats.percentile(values, values.length, 50))));
        r.put(name + "_p99_ms", Stats.fmt(Stats.millis(Stats.percentile(values, values.length, 99))));
        r.put(name + "_max_ms", Stats.fmt(Stats.millis(Stats.percentile(values, values.length, 100))));
        r.put(name + "_expected", Long.toString(expected));
        r.put(name + "_received", Integer.toString(values.length));
    }

    private void flood(Params p, Map<String, String> r) throws InterruptedException {
        long window = p.integer("window", 1000);
        int lineBytes = p.integer("line_bytes", 100);
        long start = System.nanoTime();
        long stop = start + (long) (p.decimal("flood_seconds", 10) * 1e9);
        long[] written = new long[senders];
        var threads = new Thread[senders];
        var failed = new AtomicLong();
        deliveries.set(0);
        for (int s = 0; s < senders; s++) {
            int me = s;
            threads[s] = Thread.ofVirtual().start(() -> {
                var sender = clients.get(me);
                try {
                    while (System.nanoTime() < stop) {
                        if (written[me] - slowest(me) >= window) {
                            LockSupport.parkNanos(20_000);
                            continue;
                        }
                        written[me]++;
                        sender.say(pad("~W " + me + " " + written[me] + " ", lineBytes));
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            });
        }
        for (var t : threads) {
            t.join();
        }
        long sendEnd = System.nanoTime();
        // Drain: until nothing has arrived for 2 s (bounded).
        long bound = sendEnd + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - Math.max(lastDelivery.get(), sendEnd) < TimeUnit.SECONDS.toNanos(2)
                && System.nanoTime() < bound) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        long sent = java.util.Arrays.stream(written).sum();
        long expected = sent * (clients.size() - 1);
        double activeSeconds = (Math.max(lastDelivery.get(), start + 1) - start) / 1e9;
        r.put("senders", Integer.toString(senders));
        r.put("sent_lines", Long.toString(sent));
        r.put("deliveries", Long.toString(deliveries.get()));
        r.put("deliveries_per_s", Stats.fmt(deliveries.get() / activeSeconds));
        r.put("flood_expected", Long.toString(expected));
        r.put("flood_lost", Long.toString(expected - (deliveries.get() - duplicates.get())));
        r.put("duplicates", Long.toString(duplicates.get()));
        r.put("reordered", Long.toString(reordered.get()));
        r.put("send_failed", Long.toString(failed.get()));
        r.put("active_s", Stats.fmt(activeSeconds));
    }

    /** Lines of sender {@code s} that every other client has received. */
    private long slowest(int s) {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < counts.length; i++) {
            if (i != s) {
                min = Math.min(min, counts[i].get(s));
            }
        }
        return min;
    }

    /** Client {@code me}'s reader: times the "~T SEQ NANOS" lines, counts the "~W S SEQ" ones, sees markers. */
    private void read(int me) {
        var client = clients.get(me);
        long[] last = new long[senders];
        boolean marked = false;
        try {
            String text;
            while ((text = client.next()) != null) {
                long now = System.nanoTime();
                int at = text.indexOf('~');
                if (at < 0 || at + 3 > text.length()) {
                    continue;
                }
                char kind = text.charAt(at + 1);
                if (kind == 'T') {
                    long[] seq = number(text, at + 3);
                    long sentNanos = number(text, (int) seq[1] + 1)[0];
                    (client.node() == clients.get(0).node() ? local : remote).add(now - sentNanos);
                } else if (kind == 'W') {
                    long[] s = number(text, at + 3);
                    long seq = number(text, (int) s[1] + 1)[0];
                    int from = (int) s[0];
                    if (from >= senders) {
                        continue;
                    }
                    deliveries.incrementAndGet();
                    lastDelivery.set(now);
                    if (seq <= last[from]) {
                        (seq == last[from] ? duplicates : reordered).incrementAndGet();
                    } else {
                        last[from] = seq;
                    }
                    counts[me].incrementAndGet(from);
                } else if (kind == 'M' && !marked) {
                    marked = true;
                    markers.incrementAndGet();
                }
            }
        } catch (Throwable closed) {
            // Closed at the end of the run. Throwable: a SocketException was seen escaping a catch of IOException here.
        }
    }

    /** The decimal number at {@code from}: {value, index after it}. */
    private static long[] number(String text, int from) {
        long value = 0;
        int i = from;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        return new long[] {value, i};
    }

    private static String pad(String text, int chars) {
        return text.length() >= chars ? text : text + "x".repeat(chars - text.length());
    }
}
