package io.forkcast.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntToLongFunction;

/**
 * MQTT fan-out figures (12), the same load against forkcast's mqtt_port and against mosquitto: {@code subscribers}
 * clients connected one after another (TCP connect to CONNACK: connections/s and its p50/p99), the PSS of what
 * serves them, then per QoS (0 and 1) two phases on topic {@code bench/fan}: latency ({@code lines_per_s} PUBLISHes
 * a second for {@code seconds}, each stamped with System.nanoTime(), publish-to-deliver p50/p99 over every
 * subscriber) and throughput ({@code count} PUBLISHes, at most {@code window} of them not yet received by every
 * subscriber: messages delivered per second). One platform reader thread per connection; the results map is
 * filled by the calling thread.
 */
final class MqttFanScenario {
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final byte[] TOPIC = "bench/fan".getBytes(StandardCharsets.US_ASCII);
    /** A payload's head: the phase (one byte), the sequence number and the send time (8 bytes each). */
    private static final int HEAD_BYTES = 17;

    private MqttFanScenario() {}

    /** Waits for the server to go quiet (forkcast: {@link Tree#settle}), bounded; nothing for mosquitto. */
    interface Settle {
        void await() throws InterruptedException;
    }

    /**
     * Runs against {@code host:port}; {@code workerPid} gives, for a connection's local port, the pid of the process
     * serving it (-1 when unknown), whose PSS is read; {@code settle} runs before the connections and before the PSS.
     */
    static Map<String, String> run(String host, int port, Params p, IntToLongFunction workerPid, Settle settle)
            throws Exception {
        int subscribers = p.integer("subscribers", 50);
        var r = new LinkedHashMap<String, String>();
        var subs = new ArrayList<Mqtt>();
        String tag = Long.toString(ProcessHandle.current().pid());
        settle.await();
        try (var publisher = Mqtt.connect(host, port, "bench-fan-pub-" + tag)) {
            settle.await(); // the pool has made up for the publisher's worker
            long[] connectNanos = new long[subscribers];
            long start = System.nanoTime();
            for (int i = 0; i < subscribers; i++) {
                long t0 = System.nanoTime();
                var sub = Mqtt.connect(host, port, "bench-fan-" + tag + "-" + i);
                connectNanos[i] = System.nanoTime() - t0;
                sub.readTimeout(TIMEOUT_MILLIS);
                subs.add(sub);
            }
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            r.put("subscribers", Integer.toString(subs.size()));
            r.put("connects_per_s", Stats.fmt(subscribers / connectSeconds));
            r.put("connect_p50_ms", Stats.fmt(Stats.millis(Stats.percentile(connectNanos, subscribers, 50))));
            r.put("connect_p99_ms", Stats.fmt(Stats.millis(Stats.percentile(connectNanos, subscribers, 99))));
            settle.await();
            Thread.sleep(2000); // as for the other PSS figures: read after the same settling time
            long[] pss = new long[subs.size()];
            int known = 0;
            for (var sub : subs) {
                long pid = workerPid.applyAsLong(sub.localPort());
                var memory = pid > 0 ? Proc.memory(pid) : null;
                if (memory != null) {
                    pss[known++] = memory.pssKib();
                }
            }
            r.put("worker_pss_median_mib", Stats.fmt(Stats.percentile(pss, known, 50) / 1024));
            r.put("worker_pss_read", Integer.toString(known));
            var acks = new AtomicLong();
            Thread.ofPlatform().daemon().name("mqtt-fan-publisher").start(() -> drain(publisher, acks));
            for (int qos = 0; qos <= 1; qos++) {
                fan(publisher, subs, qos, p, r);
            }
            r.put("publisher_pubacks", Long.toString(acks.get()));
        } finally {
            for (var sub : subs) {
                sub.close();
            }
        }
        return r;
    }

    /** Both phases at {@code qos}: every subscriber subscribes afresh, its reader counts and times what arrives. */
    private static void fan(Mqtt publisher, List<Mqtt> subs, int qos, Params p, Map<String, String> r)
            throws Exception {
        double linesPerSecond = p.decimal("lines_per_s", 100);
        int latencyCount = (int) (linesPerSecond * p.decimal("seconds", 10));
        int count = p.integer("count", 5000);
        int window = p.integer("window", 50);
        int payloadBytes = Math.max(HEAD_BYTES, p.integer("payload_bytes", 100));
        int n = subs.size();
        var latencies = new long[n][latencyCount];
        var latencyReceived = new AtomicLongArray(n); // latency phase, per subscriber
        var received = new AtomicLongArray(n); // throughput phase, per subscriber
        var lastAt = new AtomicLong();
        var readers = new ArrayList<Thread>();
        for (int i = 0; i < n; i++) {
            var sub = subs.get(i);
            sub.subscribe("bench/fan", qos);
            int slot = i;
            readers.add(Thread.ofPlatform().daemon().name("mqtt-fan-" + i).start(() -> {
                try {
                    while (true) {
                        var packet = sub.read();
                        long now = System.nanoTime();
                        if (packet.type() != Mqtt.PUBLISH) {
                            continue;
                        }
                        byte[] b = packet.body();
                        int at = 2 + (((b[0] & 0xff) << 8) | (b[1] & 0xff));
                        if (((packet.flags() >> 1) & 3) > 0) {
                            sub.puback(((b[at] & 0xff) << 8) | (b[at + 1] & 0xff));
                            at += 2;
                        }
                        if (b[at] == 'E') {
                            return; // the end of this QoS's phases
                        } else if (b[at] == 'L' && latencyReceived.get(slot) < latencyCount) {
                            latencies[slot][(int) latencyReceived.get(slot)] = now - readLong(b, at + 9);
                            latencyReceived.incrementAndGet(slot);
                        } else if (b[at] == 'T') {
                            received.incrementAndGet(slot);
                            lastAt.set(now);
                        }
                    }
                } catch (IOException ignored) {
                    // Closed at the end of the run, or silent for TIMEOUT_MILLIS: what is missing counts as lost.
                }
            }));
        }
        byte[] payload = new byte[payloadBytes];
        java.util.Arrays.fill(payload, (byte) 'x');
        // Latency: an open loop at lines_per_s.
        long interval = (long) (1e9 / linesPerSecond);
        long start = System.nanoTime();
        payload[0] = 'L';
        for (int seq = 1; seq <= latencyCount; seq++) {
            long wait = start + seq * interval - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            writeLong(payload, 1, seq);
            writeLong(payload, 9, System.nanoTime());
            publisher.publish(TOPIC, payload, qos);
        }
        awaitCounts(() -> sum(latencyReceived), (long) latencyCount * n, 10_000);
        // Throughput: a window over what the slowest subscriber has not received yet.
        payload[0] = 'T';
        long tStart = System.nanoTime();
        long deadline = tStart + TimeUnit.SECONDS.toNanos(60);
        int sent = 0;
        while (sent < count && System.nanoTime() < deadline) {
            if (sent - min(received) >= window) {
                Thread.onSpinWait();
                continue;
            }
            writeLong(payload, 1, ++sent);
            writeLong(payload, 9, System.nanoTime());
            publisher.publish(TOPIC, payload, qos);
        }
        long expected = (long) count * n;
        awaitCounts(() -> sum(received), expected, 10_000);
        long delivered = sum(received);
        payload[0] = 'E';
        publisher.publish(TOPIC, payload, qos);
        for (var reader : readers) {
            reader.join(TIMEOUT_MILLIS);
        }
        var all = new long[latencyCount * n];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            int got = (int) latencyReceived.get(i);
            System.arraycopy(latencies[i], 0, all, filled, got);
            filled += got;
        }
        String q = "qos" + qos + "_";
        r.put(q + "p50_ms", Stats.fmt(Stats.millis(Stats.percentile(all, filled, 50))));
        r.put(q + "p99_ms", Stats.fmt(Stats.millis(Stats.percentile(all, filled, 99))));
        r.put(q + "max_ms", Stats.fmt(Stats.millis(Stats.percentile(all, filled, 100))));
        r.put(q + "lat_lost", Long.toString((long) latencyCount * n - filled));
        r.put(q + "lat_expected", Long.toString((long) latencyCount * n));
        double seconds = (Math.max(lastAt.get(), tStart) - tStart) / 1e9;
        r.put(q + "delivered_per_s", seconds > 0 ? Stats.fmt(delivered / seconds) : "-");
        r.put(q + "tput_lost", Long.toString(expected - delivered));
        r.put(q + "tput_expected", Long.toString(expected));
    }

    /** The publisher's reader: counts its PUBACKs (QoS 1) so that its socket never fills. */
    private static void drain(Mqtt publisher, AtomicLong acks) {
        try {
            while (true) {
                if (publisher.read().type() == Mqtt.PUBACK) {
                    acks.incrementAndGet();
                }
            }
        } catch (IOException ignored) {
            // The run is over.
        }
    }

    private static void awaitCounts(java.util.function.LongSupplier count, long expected, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (count.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static long sum(AtomicLongArray values) {
        long total = 0;
        for (int i = 0; i < values.length(); i++) {
            total += values.get(i);
        }
        return total;
    }

    private static long min(AtomicLongArray values) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < values.length(); i++) {
            least = Math.min(least, values.get(i));
        }
        return least;
    }

    private static void writeLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
