package io.forkcast.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The measurement shared by the broker and MQTT scenarios: one sender, one receiver, numbered messages whose
 * data is {@code {"s":SEQ,"t":NANOS,"p":"xx..."}} padded to about {@code dataBytes}, NANOS being the sender's
 * {@link System#nanoTime()} just before the write, from an epoch of its own (sender and receiver are in this
 * process). A phase writes
 * {@code count} messages keeping at most {@code window} unanswered (a "sent" line or a PUBACK answers one), and
 * ends when the receiver has every one of them, or when nothing arrived for {@link #STALL_NANOS}. Per message:
 * latency from the write to its arrival at the receiver, and how many times it arrived; a message arriving
 * below the highest number already seen counts as reordered. Throughput is the phase's count over the time from
 * its first write to its last first arrival. The transport calls {@link #answered(boolean)} from its sender's reader
 * thread and {@link #received} from its receiver's reader thread; the phase runs on the caller's thread.
 */
final class Relay {
    /** A phase gives up this long after the last arrival (or the last permit it waited for). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(15);

    private static final byte[] SEQ_KEY = "\"s\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    /** What writes one message: the whole data, already JSON, on the transport's own framing. */
    interface Publisher {
        void publish(byte[] data) throws IOException;
    }

    private final int dataBytes;
    /** Times in the data are nanoseconds since this, so they are never negative. */
    private final long epoch = System.nanoTime();
    /** Nanoseconds from write to first arrival, per message number; -1 until it arrives. */
    private final long[] latency;
    /** Arrivals per message number (more than one: duplicates). */
    private final int[] arrivals;

    private final boolean[] reordered;
    /** Refused by the broker (its answer said so): not counted as lost. */
    private final boolean[] refused;
    /** Answers come in the order of the sends (one connection): the next answer is for this message. */
    private int nextAnswer;

    private long maxSeen = -1;
    private long lastArrival;
    /** Messages written so far, all phases: the next message's number. */
    private int next;

    private volatile Semaphore window = new Semaphore(0);
    /** The phase's window counts messages not yet received, rather than not yet answered. */
    private volatile boolean byArrival;
    /** The current phase's messages, and how many of them arrived or were refused. */
    private int phaseFirst;

    private int phaseEnd;
    private int settled;

    Relay(int total, int dataBytes) {
        this.dataBytes = dataBytes;
        this.latency = new long[total];
        this.arrivals = new int[total];
        this.reordered = new boolean[total];
        this.refused = new boolean[total];
        Arrays.fill(latency, -1);
    }

    /** The sender's transport got the answer to its oldest unanswered message: taken, or refused. */
    synchronized void answered(boolean refusal) {
        if (nextAnswer < refused.length) {
            refused[nextAnswer] = refusal;
            if (refusal) {
                settle(nextAnswer);
            }
            nextAnswer++;
        }
        if (!byArrival || refusal) {
            window.release(); // a refused message will not arrive
        }
        notifyAll();
    }

    /**
     * Scans {@code buffer[from, to)} for the messages in it (one MQTT payload, or a broker line with a batch) and
     * records each arrival at {@code now}. Key order inside each object does not matter.
     */
    synchronized void received(byte[] buffer, int from, int to, long now) {
        long seq = -1;
        long time = -1;
        for (int i = from; i < to; i++) {
            if (buffer[i] != '"') {
                continue;
            }
            if (at(buffer, i, to, SEQ_KEY)) {
                seq = number(buffer, i + SEQ_KEY.length, to);
            } else if (at(buffer, i, to, TIME_KEY)) {
                time = number(buffer, i + TIME_KEY.length, to);
            } else {
                continue;
            }
            if (seq >= 0 && time >= 0) {
                arrive((int) seq, now - epoch - time, now);
                seq = -1;
                time = -1;
            }
        }
    }

    private void arrive(int seq, long nanos, long now) {
        if (seq >= arrivals.length) {
            return;
        }
        if (arrivals[seq]++ == 0) {
            settle(seq);
            latency[seq] = nanos;
            lastArrival = now;
            if (seq < maxSeen) {
                reordered[seq] = true;
            }
            maxSeen = Math.max(maxSeen, seq);
            if (byArrival) {
                window.release();
            }
            notifyAll();
        }
    }

    private void settle(int seq) {
        if (seq >= phaseFirst && seq < phaseEnd) {
            settled++;
        }
    }

    /**
     * Figures of one phase, under {@code prefix} (none when null): per_s, p50_ms, p99_ms, max_ms, lost, duplicates,
     * reordered, expected, refused (the broker said so; not lost). With {@code arrival}, the window counts messages
     * the receiver has not had yet: one at a time, nothing queues anywhere. The phase also waits for every answer,
     * so that none spills into the next one.
     */
    void phase(String prefix, Publisher publisher, int count, int windowSize, boolean arrival, Map<String, String> into)
            throws IOException, InterruptedException {
        int first = next;
        int end = Math.min(latency.length, first + count);
        synchronized (this) {
            byArrival = arrival;
            window = new Semaphore(windowSize);
            phaseFirst = first;
            phaseEnd = end;
            settled = 0;
        }
        long start = System.nanoTime();
        var pad = "x".repeat(Math.max(0, dataBytes - 40));
        boolean stalled = false;
        for (int seq = first; seq < end; seq++) {
            if (!window.tryAcquire(STALL_NANOS, TimeUnit.NANOSECONDS)) {
                stalled = true;
                break;
            }
            long now = System.nanoTime();
            // {"s":N,"t":T,"p":"..."}: 40 bytes of keys and numbers at most, the rest padding.
            String data = "{\"s\":" + seq + ",\"t\":" + (now - epoch) + ",\"p\":\"" + pad + "\"}";
            publisher.publish(data.getBytes(StandardCharsets.US_ASCII));
            next = seq + 1;
        }
        synchronized (this) {
            long deadline = System.nanoTime() + STALL_NANOS;
            while (!stalled && (settled < end - first || nextAnswer < end)) {
                long left = Math.max(deadline, lastArrival + STALL_NANOS) - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (prefix != null) {
                report(prefix, first, end, start, into);
            }
        }
    }

    private void report(String prefix, int first, int end, long start, Map<String, String> into) {
        long[] got = new long[end - first];
        int n = 0;
        long duplicates = 0;
        long late = 0;
        int refusals = 0;
        long lastFirst = start;
        for (int i = first; i < end; i++) {
            if (arrivals[i] > 0) {
                got[n++] = latency[i];
                duplicates += arrivals[i] - 1;
                late += reordered[i] ? 1 : 0;
            } else if (refused[i]) {
                refusals++;
            }
        }
        lastFirst = Math.max(lastFirst, lastArrival);
        into.put(prefix + "per_s", Stats.fmt(n / Math.max(1e-9, (lastFirst - start) / 1e9)));
        into.put(prefix + "p50_ms", Stats.fmt(Stats.millis(Stats.percentile(got, n, 50))));
        into.put(prefix + "p99_ms", Stats.fmt(Stats.millis(Stats.percentile(got, n, 99))));
        into.put(prefix + "max_ms", Stats.fmt(Stats.millis(Stats.percentile(got, n, 100))));
        into.put(prefix + "expected", Integer.toString(end - first));
        into.put(prefix + "lost", Integer.toString(end - first - n - refusals));
        into.put(prefix + "refused", Integer.toString(refusals));
        into.put(prefix + "duplicates", Long.toString(duplicates));
        into.put(prefix + "reordered", Long.toString(late));
    }

    private static boolean at(byte[] buffer, int i, int to, byte[] key) {
        if (i + key.length > to) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (buffer[i + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private static long number(byte[] buffer, int i, int to) {
        long v = 0;
        int digits = 0;
        while (i < to && buffer[i] >= '0' && buffer[i] <= '9') {
            v = v * 10 + (buffer[i++] - '0');
            digits++;
        }
        return digits == 0 ? -1 : v;
    }
}
