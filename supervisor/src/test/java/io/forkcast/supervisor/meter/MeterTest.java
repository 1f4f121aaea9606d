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
        var first = reader.read(42, null, 0);
        assertEquals(new ProcessUsage(42, 2000, 0, 30_000 * 1024L, 15_000 * 1024L, 12, 3, 0), first);
        assertEquals("2.00", first.cpuSeconds());
        fakeProcess(proc, 42, 200, 50, 13);
        var second = reader.read(42, first, TimeUnit.SECONDS.toNanos(2));
        // 500 ms of CPU over 2 s of wall time: a quarter of a core.
        assertEquals(25.0, second.cpuPercent(), 1e-9);
        assertNull(reader.read(43, null, 0), "a process that is gone reads as null");
    }

    @Test
    void theRealProcOfThisJvmReads() {
        var usage = new ProcReader().read(ProcessHandle.current().pid(), null, System.nanoTime());
        assertNotNull(usage);
        assertTrue(usage.pssBytes() > 0 && usage.rssBytes() >= usage.pssBytes(), usage.toString());
        assertTrue(usage.threads() > 1 && usage.fds() > 2, usage.toString());
    }

    @Test
    void aTickReadsAtMostItsShareAndARoundWaitsASecond(@TempDir Path proc) throws Exception {
        for (long pid = 1; pid <= 100; pid++) {
            fakeProcess(proc, pid, pid, 0, 1);
        }
        var meter = new Meter(new ProcReader(proc));
        long now = 0;
        meter.tick(now, each -> LongStream.rangeClosed(1, 100).forEach(each));
        int afterOne = meter.all().size();
        assertTrue(afterOne >= 1 && afterOne <= Meter.SAMPLES_PER_TICK, "read " + afterOne);
        for (int tick = 0; tick < 100 && meter.all().size() < 100; tick++) {
            now += TimeUnit.MILLISECONDS.toNanos(100);
            meter.tick(now, each -> LongStream.rangeClosed(1, 100).forEach(each));
        }
        assertEquals(100, meter.all().size());
        assertNotNull(meter.usage(7));
        // The next round leaves out the processes gone since, even before they are read again.
        long later = now + Meter.ROUND_MIN_NANOS;
        meter.tick(later, each -> LongStream.rangeClosed(1, 50).forEach(each));
        assertNull(meter.usage(70));
        assertEquals(50, meter.all().size());
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
