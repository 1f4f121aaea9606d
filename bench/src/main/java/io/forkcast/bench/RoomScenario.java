package io.forkcast.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A full room: {@code clients} connected and idle, their memory read (PSS from smaps_rollup of each client's
 * worker, of any other child, and of the supervisor), then one test line from the first client that every
 * other client should receive. Figure 3 (100 clients) and figure 6 (1000 clients at 50/s).
 */
final class RoomScenario {
    private RoomScenario() {}

    static Map<String, String> run(Server server, Params p) throws java.io.IOException, InterruptedException {
        String nonce = Long.toString(System.nanoTime(), 36);
        byte[] marker = ("): ~T " + nonce).getBytes(StandardCharsets.US_ASCII);
        int[] received = {0};
        long[] lastReceipt = {0};
        var listener = new Conn.Listener() {
            @Override
            public void onLine(Conn conn, byte[] buffer, int offset, int length, long now) {
                if (length >= marker.length && endsWith(buffer, offset, length, marker)) {
                    received[0]++;
                    lastReceipt[0] = now;
                }
            }
        };
        var room = Room.fill(server, p, listener, 100);
        try (var loop = room.loop) {
            var memory = room.memory(server);
            var live = room.live();
            var r = new LinkedHashMap<String, String>();
            r.put("attempted", Integer.toString(room.arrivals.opened));
            r.put("connected", Integer.toString(live.size()));
            r.put("failed", Integer.toString(room.arrivals.failed));
            r.put("failed_causes", room.arrivals.failureCauses());
            r.put("connect_s", Stats.fmt(room.connectMillis / 1000.0));
            r.put("memory_guard", room.arrivals.stoppedByGuard ? "hit" : "no");
            r.put(
                    "worker_pss_median_mib",
                    Stats.fmt(Stats.percentile(memory.workerPssKib(), memory.workers(), 50) / 1024));
            r.put("workers_pss_total_mib", Stats.fmt(memory.workersTotalKib() / 1024.0));
            r.put("spares", Integer.toString(memory.others()));
            r.put("spares_pss_total_mib", Stats.fmt(memory.othersTotalKib() / 1024.0));
            r.put("supervisor_pss_mib", Stats.fmt(memory.supervisorKib() / 1024.0));
            r.put("total_pss_mib", Stats.fmt(memory.totalKib() / 1024.0));
            r.put("worker_threads_median", Stats.fmt(threadsMedian(live)));
            if (!live.isEmpty()) {
                var sender = live.get(0);
                int expected = live.size() - 1;
                long sent = System.nanoTime();
                sender.send(("~T " + nonce + "\r\n").getBytes(StandardCharsets.US_ASCII));
                loop.runUntil(() -> received[0] >= expected, TimeUnit.SECONDS.toNanos(p.integer("line_timeout", 30)));
                r.put("line_expected", Integer.toString(expected));
                r.put("line_received", Integer.toString(received[0]));
                r.put(
                        "line_all_ms",
                        received[0] == 0 ? "-" : Stats.fmt(Stats.millis((double) (lastReceipt[0] - sent))));
            }
            if (room.sampler != null) {
                room.sampler.close(); // before the loop closes the connections and the workers exit
            }
            return r;
        } finally {
            if (room.sampler != null) {
                room.sampler.close();
            }
        }
    }

    private static double threadsMedian(java.util.List<Conn> live) {
        var counts = new long[live.size()];
        int n = 0;
        for (var conn : live) {
            int t = Proc.threads(conn.workerPid);
            if (t > 0) {
                counts[n++] = t;
            }
        }
        return Stats.percentile(counts, n, 50);
    }

    static boolean endsWith(byte[] buffer, int offset, int length, byte[] suffix) {
        int from = offset + length - suffix.length;
        for (int i = 0; i < suffix.length; i++) {
            if (buffer[from + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
