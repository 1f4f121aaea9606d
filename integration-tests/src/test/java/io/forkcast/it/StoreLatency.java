package io.forkcast.it;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoreSettings;
import io.forkcast.supervisor.store.StoredLine;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the store's append-to-commit latency (appendLine called to its Ok callback) on H2 file, MariaDB and
 * PostgreSQL (the last two started like StoreIT's): one line at a time, and every line of a burst of 10 000.
 * Not a test; run by hand: {@code java -cp <test classpath> io.forkcast.it.StoreLatency [h2|mariadb|postgresql]...}.
 */
public final class StoreLatency {
    private static final int SINGLES = 2000;
    private static final int BURST = 10_000;

    private StoreLatency() {}

    public static void main(String[] args) throws Exception {
        var which = args.length == 0 ? new String[] {"h2", "mariadb", "postgresql"} : args;
        for (var db : which) {
            switch (db) {
                case "h2" -> {
                    var dir = Files.createTempDirectory("fc-latency");
                    measure("h2", "jdbc:h2:file:" + dir.resolve("forkcast"), null, null);
                    try (var files = Files.walk(dir)) {
                        files.sorted(java.util.Comparator.reverseOrder())
                                .forEach(p -> p.toFile().delete());
                    }
                }
                case "mariadb" -> {
                    try (var server = MariaDbServer.launch()) {
                        measure(db, server.jdbcUrl(), server.user(), server.password());
                    }
                }
                case "postgresql" -> {
                    try (var server = PostgresServer.launch()) {
                        measure(db, server.jdbcUrl(), server.user(), server.password());
                    }
                }
                default -> throw new IllegalArgumentException("h2, mariadb or postgresql: " + db);
            }
        }
        System.exit(0);
    }

    private static void measure(String db, String url, String user, String password) throws Exception {
        var settings = new StoreSettings(
                url,
                user,
                password,
                BURST,
                StoreSettings.DEFAULT_RETRY_FIRST,
                StoreSettings.DEFAULT_RETRY_MAX,
                StoreSettings.DEFAULT_HISTORY_KEEP);
        try (var store = Store.open(settings, Runnable::run, EventLog.of("role=latency"))) {
            // Warm-up: connection, schema, JIT.
            run(store, BURST, false);
            run(store, BURST, false);
            var singles = run(store, SINGLES, true);
            long before = store.stats().transactions();
            var burst = run(store, BURST, false);
            long burstTransactions = store.stats().transactions() - before;
            System.out.println("store-latency db=" + db + " single_p50_ms=" + ms(singles, 50) + " single_p99_ms="
                    + ms(singles, 99) + " burst=" + BURST + " burst_p50_ms=" + ms(burst, 50) + " burst_p99_ms="
                    + ms(burst, 99) + " burst_last_ms=" + ms(burst, 100) + " burst_transactions=" + burstTransactions);
        }
    }

    /** Appends {@code n} lines, one waiting for the other ({@code oneByOne}) or all at once; latencies in ns. */
    private static long[] run(Store store, int n, boolean oneByOne) throws Exception {
        var latencies = new long[n];
        var done = new CountDownLatch(n);
        var failed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            int index = i;
            var line =
                    new StoredLine(0, "bench", System.currentTimeMillis(), "say", "bench", null, "n", 1, "line " + i);
            long start = System.nanoTime();
            var single = new CountDownLatch(1);
            boolean accepted = store.appendLine(line, result -> {
                latencies[index] = System.nanoTime() - start;
                if (!(result instanceof Result.Ok<Long>)) {
                    failed.incrementAndGet();
                }
                done.countDown();
                single.countDown();
            });
            if (!accepted) {
                throw new IllegalStateException("refused at " + i);
            }
            if (oneByOne && !single.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer in 30 s");
            }
        }
        if (!done.await(120, TimeUnit.SECONDS) || failed.get() > 0) {
            throw new IllegalStateException("failed=" + failed.get() + " missing=" + done.getCount());
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static String ms(long[] sorted, int percentile) {
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return String.format(java.util.Locale.ROOT, "%.2f", sorted[Math.max(0, index)] / 1e6);
    }
}
