package io.forkcast.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fills the chat room: opens {@code clients} connections at {@code rate} per second (at most {@code in_flight}
 * waiting for a banner) and keeps them, stopping early if the machine's available memory falls below
 * {@code mem_guard_mib}. With {@code rooms} above 0, client {@code i} then joins room {@code r<i % rooms>} and is
 * waited for until the server confirms it. Then waits for the tree to go quiet. The first step of figures 3 to 7.
 */
final class Room {
    final Loop loop;
    final Arrivals arrivals;
    final long connectMillis;
    /** Figure 6's curve ({@code sample_s} above 0), sampling until closed; null otherwise. */
    final Sampler sampler;

    private Room(Loop loop, Arrivals arrivals, long connectMillis, Sampler sampler) {
        this.loop = loop;
        this.arrivals = arrivals;
        this.connectMillis = connectMillis;
        this.sampler = sampler;
    }

    private static final byte[] ENTERED = "*** you are now in #".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** True when {@code a} and {@code b} are in the same room, so that each receives the other's lines. */
    static boolean together(Conn a, Conn b) {
        return a.room == b.room;
    }

    static Room fill(Server server, Params p, Conn.Listener scenario, int defaultClients)
            throws java.io.IOException, InterruptedException {
        int clients = p.integer("clients", defaultClients);
        int rooms = p.integer("rooms", 0);
        int[] entered = {0};
        double sampleSeconds = p.decimal("sample_s", 0);
        Probe[] probe = {null};
        var listener = new Conn.Listener() {
            @Override
            public void onBanner(Conn conn, long nowNanos) {
                scenario.onBanner(conn, nowNanos);
            }

            @Override
            public void onLine(Conn conn, byte[] buffer, int offset, int length, long nowNanos) {
                if (length >= ENTERED.length
                        && java.util.Arrays.equals(
                                buffer, offset, offset + ENTERED.length, ENTERED, 0, ENTERED.length)) {
                    entered[0]++;
                }
                if (probe[0] != null) {
                    probe[0].onLine(buffer, offset, length);
                }
                scenario.onLine(conn, buffer, offset, length, nowNanos);
            }

            @Override
            public void onClosed(Conn conn, long nowNanos, String cause) {
                scenario.onClosed(conn, nowNanos, cause);
            }
        };
        double rate = p.decimal("rate", 20);
        int maxInFlight = p.integer("in_flight", 16);
        long bannerTimeout = TimeUnit.SECONDS.toNanos(p.integer("banner_timeout", 60));
        long guardKib = p.integer("mem_guard_mib", 2048) * 1024L;
        Tree.settle(server, 30_000);
        var loop = new Loop(server.host(), server.port());
        var sampler = sampleSeconds > 0 ? Sampler.start(server, p.text("name", "room"), sampleSeconds) : null;
        if (sampler != null) {
            probe[0] = new Probe(loop, sampler);
        }
        java.util.function.LongConsumer probeTick = probe[0] == null ? now -> {} : probe[0];
        long[] lastCheck = {0};
        boolean[] memoryOk = {true};
        var arrivals = new Arrivals(
                loop, listener, rate, clients, TimeUnit.HOURS.toNanos(1), maxInFlight, bannerTimeout, () -> {
                    long now = System.nanoTime();
                    if (now - lastCheck[0] > TimeUnit.MILLISECONDS.toNanos(200)) {
                        lastCheck[0] = now;
                        memoryOk[0] = Proc.memAvailableKib() > guardKib;
                    }
                    return memoryOk[0];
                });
        long start = System.nanoTime();
        long bound = (long) (clients / rate * 1e9) + bannerTimeout + TimeUnit.SECONDS.toNanos(30);
        loop.runUntil(arrivals::settled, bound, arrivals.tickNanos(), now -> {
            arrivals.accept(now);
            probeTick.accept(now);
        });
        long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (rooms > 0) {
            var live = loop.live();
            for (int i = 0; i < live.size(); i++) {
                var conn = live.get(i);
                conn.room = i % rooms;
                conn.send(("/join r" + conn.room + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            loop.runUntil(() -> entered[0] >= live.size(), TimeUnit.SECONDS.toNanos(60));
        }
        // Let the joined notices reach everyone and the new JVMs finish compiling before anything is measured.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long[] quietSince = {System.nanoTime()};
        long[] lastTicks = {Tree.ticks(server)};
        loop.runUntil(
                () -> quietSince[0] < 0, deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100), now -> {
                    probeTick.accept(now);
                    if (now - quietSince[0] >= TimeUnit.MILLISECONDS.toNanos(500)) {
                        long t = Tree.ticks(server);
                        if (t - lastTicks[0] <= 2) {
                            quietSince[0] = -1;
                        } else {
                            quietSince[0] = now;
                            lastTicks[0] = t;
                        }
                    }
                });
        return new Room(loop, arrivals, connectMillis, sampler);
    }

    List<Conn> live() {
        return loop.live();
    }

    /** Memory of the tree: the clients' workers, any other children (spares), and the supervisor. */
    @SuppressWarnings("ArrayRecordComponent") // a snapshot read once by its scenario: never compared or hashed
    record Memory(
            long[] workerPssKib,
            int workers,
            long workersTotalKib,
            long othersTotalKib,
            int others,
            long supervisorKib) {
        long totalKib() {
            return workersTotalKib + othersTotalKib + supervisorKib;
        }
    }

    Memory memory(Server server) {
        var live = live();
        var pss = new long[live.size()];
        int n = 0;
        long total = 0;
        var serving = new java.util.HashSet<Long>();
        for (var conn : live) {
            if (conn.workerPid == server.pid()) {
                continue; // a single-process server (the C reference) serves it itself: counted as the supervisor
            }
            serving.add(conn.workerPid);
            var m = Proc.memory(conn.workerPid);
            if (m != null) {
                pss[n++] = m.pssKib();
                total += m.pssKib();
            }
        }
        long others = 0;
        int otherCount = 0;
        for (long pid : server.workers()) {
            if (!serving.contains(pid)) {
                var m = Proc.memory(pid);
                if (m != null) {
                    others += m.pssKib();
                    otherCount++;
                }
            }
        }
        var sup = Proc.memory(server.pid());
        return new Memory(
                java.util.Arrays.copyOf(pss, n), n, total, others, otherCount, sup == null ? 0 : sup.pssKib());
    }
}
