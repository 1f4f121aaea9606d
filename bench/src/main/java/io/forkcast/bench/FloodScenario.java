package io.forkcast.bench;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Deliveries per second (figure 5): {@code clients} connected, the first {@code senders} of them write
 * numbered lines as fast as their sockets take them for {@code seconds}, each at most {@code window} lines (1000)
 * ahead of the slowest client still connected (0: no window, a pure flood that measures the drop policy
 * rather than throughput, as the receivers' buffers overflow); every client counts, per sender,
 * lines received, duplicates (a number seen before) and reorderings (a number below the highest seen), and
 * loss is what a sender wrote that a client never received. The first {@code unpaced} senders (1) keep no
 * window at all: they write as fast as TCP lets them, like a paste or a program, and what each wrote is counted
 * against what every other client received from it, and whether it was dropped. Also reads the read and write
 * syscall counts (/proc/PID/io) of the supervisor and of one receiving and one sending worker over the flood.
 * With {@code rooms} (figure 7), each sender's lines go to the members of its room only, and are counted so.
 */
final class FloodScenario {
    private static final byte[] TAG = Lines.tag("~F");

    private FloodScenario() {}

    /** What one client saw from one sender. */
    private static final class Track {
        final BitSet seen = new BitSet();
        long max;
        long count;
    }

    /** Lines from sender {@code s} that every client still connected (but the sender) has received. */
    private static long slowest(java.util.List<Conn> live, Conn sender, Track[][] tracks, int s) {
        long min = Long.MAX_VALUE;
        for (var conn : live) {
            if (conn != sender && !conn.closed && Room.together(conn, sender)) {
                var t = tracks[conn.id][s];
                min = Math.min(min, t == null ? 0 : t.count);
            }
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    static Map<String, String> run(Server server, Params p) throws java.io.IOException, InterruptedException {
        int senders = p.integer("senders", 5);
        double seconds = p.decimal("seconds", 10);
        int lineBytes = p.integer("line_bytes", 100);
        int clients = p.integer("clients", 100);
        int unpaced = Math.min(senders, p.integer("unpaced", 1));
        var tracks = new Track[clients + 1][senders];
        long[] totals = new long[4]; // deliveries, duplicates, reordered, last delivery time
        int[] parsed = new int[1];
        long[] perConn = new long[clients + 1];
        var listener = new Conn.Listener() {
            @Override
            public void onLine(Conn conn, byte[] buffer, int offset, int length, long now) {
                int at = Lines.afterTag(buffer, offset, length, TAG);
                if (at < 0 || conn.id >= tracks.length) {
                    return;
                }
                int end = offset + length;
                int s = (int) Lines.number(buffer, at, end, parsed);
                long seq = Lines.number(buffer, parsed[0], end, parsed);
                if (s >= senders) {
                    return;
                }
                var t = tracks[conn.id][s];
                if (t == null) {
                    t = tracks[conn.id][s] = new Track();
                }
                totals[0]++;
                totals[3] = now;
                perConn[conn.id]++;
                if (t.seen.get((int) seq)) {
                    totals[1]++;
                    return;
                }
                if (seq < t.max) {
                    totals[2]++;
                }
                t.seen.set((int) seq);
                t.max = Math.max(t.max, seq);
                t.count++;
            }
        };
        var room = Room.fill(server, p, listener, 100);
        try (var loop = room.loop) {
            var live = room.live();
            var r = new LinkedHashMap<String, String>();
            r.put("connected", Integer.toString(live.size()));
            if (live.size() <= senders) {
                return r;
            }
            var sending = live.subList(0, senders);
            var receiver = live.get(live.size() - 1);
            // A single-process server (the C reference) has no workers: its own counts are the supervisor's.
            long receiverPid = receiver.workerPid == server.pid() ? -1 : receiver.workerPid;
            long senderPid = sending.get(0).workerPid == server.pid() ? -1 : sending.get(0).workerPid;
            var supBefore = Proc.syscalls(server.pid());
            var recvBefore = Proc.syscalls(receiverPid);
            var sendBefore = Proc.syscalls(senderPid);
            long ticksBefore = Tree.ticks(server);
            var supCpuBefore = Proc.cpu(server.pid());
            long start = System.nanoTime();
            long stop = start + (long) (seconds * 1e9);
            long[] written = new long[senders];
            int window = p.integer("window", 1000);
            var generators = new LineGenerator[senders];
            for (int i = 0; i < senders; i++) {
                int s = i;
                generators[i] = new LineGenerator("~F " + s + " ", lineBytes, 64 * 1024);
                sending.get(i).pull(() -> {
                    long allowed = window <= 0 || s < unpaced
                            ? Long.MAX_VALUE
                            : slowest(live, sending.get(s), tracks, s) + window - written[s];
                    if (System.nanoTime() >= stop || allowed <= 0) {
                        return null;
                    }
                    var chunk = generators[s].next(written[s] + 1, (int) Math.min(allowed, Integer.MAX_VALUE));
                    written[s] += generators[s].lines();
                    return chunk;
                });
            }
            loop.runUntil(
                    () -> System.nanoTime() >= stop && sending.stream().noneMatch(Conn::sending),
                    stop - System.nanoTime() + TimeUnit.SECONDS.toNanos(30),
                    TimeUnit.MILLISECONDS.toNanos(2),
                    now -> sending.forEach(Conn::kick));
            sending.forEach(c -> c.pull(null));
            long sendEnd = System.nanoTime();
            // Drain: until nothing has arrived for 2 s (bounded).
            loop.runUntil(
                    () -> System.nanoTime() - Math.max(totals[3], sendEnd) > TimeUnit.SECONDS.toNanos(2),
                    TimeUnit.SECONDS.toNanos(60));
            var supAfter = Proc.syscalls(server.pid());
            var recvAfter = Proc.syscalls(receiverPid);
            var sendAfter = Proc.syscalls(senderPid);
            long ticks = Tree.ticks(server) - ticksBefore;
            var supCpuAfter = Proc.cpu(server.pid());

            long expected = 0;
            long distinct = 0;
            long unpacedExpected = 0;
            long unpacedDistinct = 0;
            int dropped = 0;
            for (var conn : live) {
                if (conn.closed) {
                    dropped++;
                }
                for (int s = 0; s < senders; s++) {
                    if (conn == sending.get(s) || !Room.together(conn, sending.get(s))) {
                        continue; // nobody receives their own lines, nor those of another room
                    }
                    expected += written[s];
                    var t = tracks[conn.id][s];
                    distinct += t == null ? 0 : t.count;
                    if (s < unpaced) {
                        unpacedExpected += written[s];
                        unpacedDistinct += t == null ? 0 : t.count;
                    }
                }
            }
            long unpacedWritten = 0;
            int unpacedDropped = 0;
            for (int s = 0; s < unpaced; s++) {
                unpacedWritten += written[s];
                unpacedDropped += sending.get(s).closed ? 1 : 0;
            }
            double activeSeconds = (Math.max(totals[3], start + 1) - start) / 1e9;
            long sentLines = java.util.Arrays.stream(written).sum();
            r.put("sent_lines", Long.toString(sentLines));
            r.put("deliveries", Long.toString(totals[0]));
            r.put("deliveries_per_s", Stats.fmt(totals[0] / activeSeconds));
            r.put("expected", Long.toString(expected));
            r.put("lost", Long.toString(expected - distinct));
            r.put("duplicates", Long.toString(totals[1]));
            r.put("reordered", Long.toString(totals[2]));
            r.put("clients_dropped", Integer.toString(dropped));
            r.put("unpaced", Integer.toString(unpaced));
            r.put("unpaced_written", Long.toString(unpacedWritten));
            r.put("unpaced_expected", Long.toString(unpacedExpected));
            r.put("unpaced_received", Long.toString(unpacedDistinct));
            r.put("unpaced_lost", Long.toString(unpacedExpected - unpacedDistinct));
            r.put("unpaced_dropped", Integer.toString(unpacedDropped));
            r.put("cpu_s", Stats.fmt(Proc.ticksToMillis(ticks) / 1000));
            r.put("active_s", Stats.fmt(activeSeconds));
            if (supCpuBefore != null && supCpuAfter != null) {
                r.put(
                        "sup_cpu_s",
                        Stats.fmt(Proc.ticksToMillis(supCpuAfter.ownTicks() - supCpuBefore.ownTicks()) / 1000));
            }
            if (supBefore != null && supAfter != null && totals[0] > 0) {
                r.put(
                        "sup_writes_per_delivery",
                        Stats.fmt((supAfter.writes() - supBefore.writes()) / (double) totals[0]));
                r.put("sup_reads_per_line_in", Stats.fmt((supAfter.reads() - supBefore.reads()) / (double) sentLines));
            }
            long perReceiver = perConn[receiver.id];
            if (recvBefore != null && recvAfter != null && perReceiver > 0) {
                r.put(
                        "recv_worker_writes_per_line",
                        Stats.fmt((recvAfter.writes() - recvBefore.writes()) / (double) perReceiver));
                r.put(
                        "recv_worker_reads_per_line",
                        Stats.fmt((recvAfter.reads() - recvBefore.reads()) / (double) perReceiver));
            }
            if (sendBefore != null && sendAfter != null && written[0] > 0) {
                r.put(
                        "send_worker_writes_per_line",
                        Stats.fmt((sendAfter.writes() - sendBefore.writes()) / (double) written[0]));
                r.put(
                        "send_worker_reads_per_line",
                        Stats.fmt((sendAfter.reads() - sendBefore.reads()) / (double) written[0]));
            }
            r.put("writes_per_delivery", Stats.fmt(writesPerDelivery(r, sentLines, totals[0])));
            return r;
        }
    }

    /**
     * Write syscalls of the whole server per delivery: the supervisor's, plus the receiving worker's per line it
     * got (each delivery passes one receiving worker), plus the sending worker's per line spread over the copies
     * of that line. For a single-process server, its own writes per delivery. NaN when a reading is missing.
     */
    static double writesPerDelivery(Map<String, String> r, long sentLines, long deliveries) {
        try {
            double total = Double.parseDouble(r.getOrDefault("sup_writes_per_delivery", "NaN"));
            if (r.containsKey("recv_worker_writes_per_line")) {
                total += Double.parseDouble(r.get("recv_worker_writes_per_line"));
            }
            if (r.containsKey("send_worker_writes_per_line") && deliveries > 0) {
                total += Double.parseDouble(r.get("send_worker_writes_per_line")) * sentLines / deliveries;
            }
            return total;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
