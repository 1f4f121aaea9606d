package io.forkcast.supervisor.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeterTest {

    /** A /proc of our own: a process whose command name has spaces and parentheses in it. */
    private static void fakeProcess(Path proc, long pid, long utime, long stime, int threads) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(
                dir.resolve("stat"),
                pid + " (java (x) y) S 1 1 1 0 -1 4194560 100 0 0 0 " + utime + " " + stime + " 0 0 20 0 " + threads
                        + " 0 100 200 300 18446744073709551615\n");
        Files.writeString(
                dir.resolve("status"), "Name:\tjava\nVmRSS:\t   30000 kB\nThreads:\t" + threads + "\nSigQ:\t0/1\n");
        Files.writeString(
                dir.resolve("smaps_rollup"),
                "55a0-7ff0 ---p 00000000 00:00 0 [rollup]\nRss:               30000 kB\nPss:               15000 kB\n");
        Files.createDirectories(dir.resolve("fd"));
        for (int fd = 0; fd < 3; fd++) {
            Files.writeString(dir.resolve("fd").resolve(Integer.toString(fd)), "");
        }
    }

    @Test
    void aProcessIsReadFromStatSmapsRollupAndFd(@TempDir Path proc) throws Exception {
        fakeProcess(proc, 42, 150, 50, 12);
        var reader = new ProcReader(proc);
        var first = reader.read(42, null, 0, true);
        assertEquals(new ProcessUsage(42, 2000, 0, 30_000 * 1024L, 15_000 * 1024L, 12, 3, 0), first);
        assertEquals("2.00", first.cpuSeconds());
        fakeProcess(proc, 42, 200, 50, 13);
        Files.delete(proc.resolve("42/smaps_rollup"));
        var second = reader.read(42, first, TimeUnit.SECONDS.toNanos(2), false);
        // 500 ms of CPU over 2 s of wall time: a quarter of a core; PSS not read again is carried over.
        assertEquals(25.0, second.cpuPercent(), 1e-9);
        assertEquals("25.0", second.cpuPercentText());
        assertEquals(15_000 * 1024L, second.pssBytes());
        assertEquals(13, second.threads());
        assertEquals(-1, reader.read(42, first, 0, true).pssBytes(), "unreadable PSS is unknown, not an error");
        assertNull(reader.read(43, null, 0, true), "a process that is gone reads as null");
    }

    @Test
    void theRealProcOfThisJvmReads() {
        var usage = new ProcReader().read(ProcessHandle.current().pid(), null, System.nanoTime(), true);
        assertNotNull(usage);
        assertTrue(usage.pssBytes() > 0 && usage.rssBytes() >= usage.pssBytes(), usage.toString());
        assertTrue(usage.threads() > 1 && usage.fds() > 2, usage.toString());
    }

    @Test
    void aTickHandsOverABoundedBatchAndTakesItsResultsAtTheNext(@TempDir Path proc) throws Exception {
        for (long pid = 1; pid <= 100; pid++) {
            fakeProcess(proc, pid, pid, 0, 1);
        }
        fakeProcess(proc, ProcessHandle.current().pid(), 500, 100, 20);
        var reads = new java.util.ArrayList<Runnable>();
        // The meter thread, run by hand: a batch is read when the test says so.
        var meter = new Meter(new ProcReader(proc), reads::add);
        long now = 0;
        meter.tick(now, each -> LongStream.rangeClosed(1, 100).forEach(each));
        assertEquals(1, reads.size());
        assertTrue(meter.all().isEmpty(), "nothing is known before the batch is read");
        now += TimeUnit.MILLISECONDS.toNanos(100);
        meter.tick(now, each -> LongStream.rangeClosed(1, 100).forEach(each));
        assertEquals(1, reads.size(), "one batch in flight at a time");
        reads.removeFirst().run();
        now += TimeUnit.MILLISECONDS.toNanos(100);
        meter.tick(now, each -> LongStream.rangeClosed(1, 100).forEach(each));
        // The first batch: the supervisor itself and 31 workers, the first two (never measured) with their PSS.
        assertEquals(Meter.SAMPLES_PER_TICK - 1, meter.all().size());
        assertEquals(
                Meter.PSS_PER_TICK - 1,
                meter.all().stream().filter(u -> u.pssBytes() > 0).count());
        assertEquals(20, meter.self().threads());
        assertTrue(meter.self().pssBytes() > 0);
        for (int tick = 0; tick < 100 && !reads.isEmpty(); tick++) {
            reads.removeFirst().run();
            now += TimeUnit.MILLISECONDS.toNanos(100);
            meter.tick(now, each -> LongStream.rangeClosed(1, 100).forEach(each));
        }
        assertEquals(100, meter.all().size());
        assertNotNull(meter.usage(7));
        // The next round leaves out the processes gone since, even before they are read again.
        long later = now + Meter.ROUND_MIN_NANOS;
        reads.clear();
        var next = new Meter(new ProcReader(proc), Runnable::run);
        next.tick(later, each -> LongStream.rangeClosed(1, 100).forEach(each));
        for (int tick = 1; tick < 10; tick++) {
            next.tick(later + tick, each -> LongStream.rangeClosed(1, 100).forEach(each));
        }
        assertEquals(100, next.all().size());
        next.tick(
                later + Meter.ROUND_MIN_NANOS,
                each -> LongStream.rangeClosed(1, 50).forEach(each));
        assertNull(next.usage(70));
        assertEquals(50, next.all().size());
    }

    @Test
    void historyKeepsTenMinutesOfPointsWithTheDeliveryRate() {
        var history = new History();
        long now = 0;
        for (int i = 0; i < History.POINTS + 5; i++) {
            assertTrue(history.due(now));
            history.record(now, 1000 + i * 2L, i, i * 200L, 1024);
            now += History.INTERVAL_NANOS;
        }
        var points = history.points();
        assertEquals(History.POINTS, points.size());
        assertEquals(1000 + 5 * 2L, points.getFirst().epochSeconds());
        assertEquals(100, points.getLast().deliveriesPerSecond());
        assertEquals(100, history.deliveriesPerSecond());
        assertTrue(!history.due(now - History.INTERVAL_NANOS + 1));
    }
}
