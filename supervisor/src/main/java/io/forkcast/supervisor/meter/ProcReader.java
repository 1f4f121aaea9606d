package io.forkcast.supervisor.meter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what one process costs from {@code /proc/<pid>}: CPU time and threads from {@code stat}, RSS and PSS from
 * {@code smaps_rollup} (one kernel walk of the process's mappings, the costly part), open descriptors from the
 * entries of {@code fd}. Stateless apart from the directory it reads; called on the loop thread.
 */
public final class ProcReader {
    /**
     * Linux reports CPU times in {@code USER_HZ} ticks, 100 a second on every architecture a JDK 25 runs on (the
     * kernel converts from its own {@code HZ}).
     */
    static final long MILLIS_PER_TICK = 10;

    private final Path proc;

    public ProcReader() {
        this(Path.of("/proc"));
    }

    /** Reads under {@code proc} instead of {@code /proc}: for tests. */
    ProcReader(Path proc) {
        this.proc = proc;
    }

    /**
     * The process's usage now, with its CPU share since {@code previous} (null: first sample); null if the process
     * is gone.
     */
    public ProcessUsage read(long pid, ProcessUsage previous, long nowNanos) {
        Path dir = proc.resolve(Long.toString(pid));
        String stat;
        try {
            stat = Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return null; // gone (NoSuchFileException), or not ours to read
        }
        // The command name in parentheses may hold spaces and parentheses: the fields start after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] fields = stat.substring(close + 2).strip().split(" ", -1);
        if (fields.length < 18) {
            return null;
        }
        // fields[0] is field 3 of proc(5): utime is 14, stime 15, num_threads 20.
        long cpuMillis = (parse(fields[11]) + parse(fields[12])) * MILLIS_PER_TICK;
        int threads = (int) parse(fields[17]);
        long rss = -1;
        long pss = -1;
        try {
            for (String line : Files.readAllLines(dir.resolve("smaps_rollup"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Rss:")) {
                    rss = kibibytes(line);
                } else if (line.startsWith("Pss:")) {
                    pss = kibibytes(line);
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not ours to read, or gone since stat: the memory figures stay unknown.
        }
        String[] entries = dir.resolve("fd").toFile().list();
        int fds = entries == null ? -1 : entries.length;
        double percent = 0;
        if (previous != null && nowNanos > previous.sampledAtNanos() && cpuMillis >= previous.cpuMillis()) {
            percent = (cpuMillis - previous.cpuMillis()) * 100.0 * 1_000_000 / (nowNanos - previous.sampledAtNanos());
        }
        return new ProcessUsage(pid, cpuMillis, percent, rss, pss, threads, fds, nowNanos);
    }

    private static long parse(String field) {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code Pss:   14800 kB} in bytes. */
    private static long kibibytes(String line) {
        String digits = line.substring(4).strip();
        int space = digits.indexOf(' ');
        return Long.parseLong(space < 0 ? digits : digits.substring(0, space)) * 1024;
    }
}
