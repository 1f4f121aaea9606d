package io.forkcast.supervisor.meter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what one process costs from {@code /proc/<pid>}: CPU time from {@code stat}, RSS and threads from {@code
 * status}, open descriptors from the entries of {@code fd} (together about 0.1 ms for a worker), and, when asked,
 * PSS from {@code smaps_rollup}: one kernel walk of every mapped page, about 2 ms for a worker JVM and 8 ms for the
 * supervisor (measured on the 2-core machine), which is why {@link Meter} asks for it sparingly. Stateless apart
 * from the directory it reads; safe on any thread.
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
     * The process's usage now, with its CPU share since {@code previous} (null: first sample); its PSS read anew if
     * {@code withPss}, else {@code previous}'s. Null if the process is gone.
     */
    public ProcessUsage read(long pid, ProcessUsage previous, long nowNanos, boolean withPss) {
        Path dir = proc.resolve(Long.toString(pid));
        long cpuMillis;
        long rss = -1;
        int threads = -1;
        try {
            cpuMillis = cpuMillis(Files.readString(dir.resolve("stat"), StandardCharsets.US_ASCII));
            for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    rss = kibibytes(line, "VmRSS:".length());
                } else if (line.startsWith("Threads:")) {
                    threads =
                            Integer.parseInt(line.substring("Threads:".length()).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // gone (NoSuchFileException), or not ours to read
        }
        if (cpuMillis < 0) {
            return null;
        }
        long pss = previous == null ? -1 : previous.pssBytes();
        if (withPss) {
            pss = pss(dir);
        }
        String[] entries = dir.resolve("fd").toFile().list();
        int fds = entries == null ? -1 : entries.length;
        double percent = 0;
        if (previous != null && nowNanos > previous.sampledAtNanos() && cpuMillis >= previous.cpuMillis()) {
            percent = (cpuMillis - previous.cpuMillis()) * 100.0 * 1_000_000 / (nowNanos - previous.sampledAtNanos());
        }
        return new ProcessUsage(pid, cpuMillis, percent, rss, pss, threads, fds, nowNanos);
    }

    /** User plus system time from a {@code stat} line, or -1 if it is not one. */
    private static long cpuMillis(String stat) {
        // The command name in parentheses may hold spaces and parentheses: the fields start after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) {
            return -1;
        }
        String[] fields = stat.substring(close + 2).strip().split(" ", -1);
        if (fields.length < 13) {
            return -1;
        }
        // fields[0] is field 3 of proc(5): utime is 14, stime 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
    }

    /** PSS in bytes from {@code smaps_rollup}, or -1 when it cannot be read (not ours, an old kernel, gone). */
    private static long pss(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("smaps_rollup"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Pss:")) {
                    return kibibytes(line, "Pss:".length());
                }
            }
        } catch (IOException | RuntimeException e) {
            // The figure stays unknown.
        }
        return -1;
    }

    /** {@code Pss:   14800 kB} in bytes. */
    private static long kibibytes(String line, int from) {
        String digits = line.substring(from).strip();
        int space = digits.indexOf(' ');
        return Long.parseLong(space < 0 ? digits : digits.substring(0, space)) * 1024;
    }
}
