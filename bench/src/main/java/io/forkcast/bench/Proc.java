package io.forkcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Readings from /proc: a process's PSS (smaps_rollup), its CPU time (stat), its read and write syscall counts
 * (io), its children, and the machine's available memory. A process that is gone reads as absent, never as an
 * error. Stateless; any thread.
 */
final class Proc {
    /** Clock ticks per second of /proc/PID/stat times; scripts/bench passes {@code getconf CLK_TCK}. */
    static final long TICKS_PER_SECOND = Long.getLong("bench.clk.tck", 100);

    private Proc() {}

    /** Memory of one process from smaps_rollup, in KiB; null when the process is gone. */
    record Memory(long pssKib, long rssKib, long privateKib) {}

    static Memory memory(long pid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        long pss = 0;
        long rss = 0;
        long priv = 0;
        for (String line : lines) {
            if (line.startsWith("Pss:")) {
                pss = kib(line);
            } else if (line.startsWith("Rss:")) {
                rss = kib(line);
            } else if (line.startsWith("Private_Clean:") || line.startsWith("Private_Dirty:")) {
                priv += kib(line);
            }
        }
        return new Memory(pss, rss, priv);
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+", -1);
        return Long.parseLong(parts[1]);
    }

    /**
     * CPU time of a process in ticks: its own user+system time, and that of its children it has waited for
     * (cutime+cstime). Null when the process is gone.
     */
    record Cpu(long ownTicks, long reapedChildrenTicks) {
        long total() {
            return ownTicks + reapedChildrenTicks;
        }
    }

    static Cpu cpu(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        // The command name may hold spaces and parentheses; the fields after the last ')' are fixed.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+", -1);
        // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
        return new Cpu(Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]));
    }

    /** Read and write syscalls made by a process (all its threads), from /proc/PID/io; null when gone. */
    record Syscalls(long reads, long writes) {}

    static Syscalls syscalls(long pid) {
        try {
            long r = -1;
            long w = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("syscr:")) {
                    r = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscw:")) {
                    w = Long.parseLong(line.substring(6).trim());
                }
            }
            return r < 0 ? null : new Syscalls(r, w);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Threads of a process, from /proc/PID/status; 0 when it is gone. */
    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone.
        }
        return 0;
    }

    /** Pids of the live children of {@code pid}. */
    static List<Long> children(long pid) {
        var out = new ArrayList<Long>();
        ProcessHandle.of(pid).ifPresent(h -> h.children().forEach(c -> out.add(c.pid())));
        return out;
    }

    /** CPU ticks of a whole tree: the root with its reaped children, plus its live children and theirs. */
    static long treeTicks(long root) {
        Cpu rootCpu = cpu(root);
        if (rootCpu == null) {
            return 0;
        }
        long total = rootCpu.total();
        for (long child : children(root)) {
            Cpu c = cpu(child);
            if (c != null) {
                total += c.total();
            }
        }
        return total;
    }

    static double ticksToMillis(long ticks) {
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }

    /** MemAvailable from /proc/meminfo, in KiB; Long.MAX_VALUE when it cannot be read. */
    static long memAvailableKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return kib(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Fall through: no guard rather than a wrong one.
        }
        return Long.MAX_VALUE;
    }
}
