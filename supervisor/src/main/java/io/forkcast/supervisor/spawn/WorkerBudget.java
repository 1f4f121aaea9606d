package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * workers_max when it is {@code auto}: the memory available at start (MemAvailable, or what the service's cgroup
 * still allows if that is less) less a reserve for the supervisor, divided by what one worker costs with
 * headroom, capped. Computed once, at start; called on the main thread.
 */
public final class WorkerBudget {
    private static final long MIB = 1024 * 1024;
    /**
     * What one worker is budgeted: 16 MiB, the measured PSS of an idle worker (docs/benchmarks.md: 14.3-15.3 MiB
     * median), plus 8 MiB of headroom for a worker handed its client by the pool (21 MiB) or one under load.
     */
    public static final long WORKER_BYTES = 24 * MIB;
    /** Kept for the supervisor itself (about 80 MiB PSS, with its heap's room to grow) and the system. */
    public static final long SUPERVISOR_RESERVE_BYTES = 256 * MIB;
    /** The most workers memory sizing gives, whatever the memory: scripts/systemd/forkcast.service is sized for it. */
    public static final int CAP = 1024;
    /** What auto gives where available memory cannot be read (not Linux, no /proc). */
    public static final int FALLBACK = 256;

    /** The limit applied, and where it came from: {@code config}, {@code memory} or {@code default}. */
    public record Sized(int value, String source, long availableBytes) {}

    private WorkerBudget() {}

    /** {@code configured} if it is set (above 0); else what the memory of this machine allows. */
    public static Sized workersMax(int configured) {
        if (configured > 0) {
            return new Sized(configured, "config", -1);
        }
        return fromAvailable(available(Path.of("/proc"), Path.of("/sys/fs/cgroup")));
    }

    /** What {@code availableBytes} of memory allows; at least 1 worker, at most {@link #CAP}. */
    static Sized fromAvailable(OptionalLong availableBytes) {
        if (availableBytes.isEmpty()) {
            return new Sized(FALLBACK, "default", -1);
        }
        long bytes = availableBytes.getAsLong();
        long workers = (bytes - SUPERVISOR_RESERVE_BYTES) / WORKER_BYTES;
        return new Sized((int) Math.max(1, Math.min(CAP, workers)), "memory", bytes);
    }

    /** MemAvailable, or the room left under the cgroup's memory.max if that is less; empty if neither is known. */
    static OptionalLong available(Path proc, Path cgroupRoot) {
        var memAvailable = memAvailable(proc.resolve("meminfo"));
        var cgroupRoom = cgroupRoom(proc.resolve("self/cgroup"), cgroupRoot);
        if (memAvailable.isPresent() && cgroupRoom.isPresent()) {
            return OptionalLong.of(Math.min(memAvailable.getAsLong(), cgroupRoom.getAsLong()));
        }
        return memAvailable.isPresent() ? memAvailable : cgroupRoom;
    }

    private static OptionalLong memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    // "MemAvailable:   23749392 kB"
                    String value = line.substring("MemAvailable:".length())
                            .replace("kB", "")
                            .strip();
                    return OptionalLong.of(Long.parseLong(value) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable or unexpected: memory is then not known from here.
        }
        return OptionalLong.empty();
    }

    /** memory.max less memory.current of our cgroup (v2, the {@code 0::/path} line); empty without a limit. */
    private static OptionalLong cgroupRoom(Path selfCgroup, Path cgroupRoot) {
        try {
            for (String line : Files.readAllLines(selfCgroup)) {
                if (line.startsWith("0::/")) {
                    var dir = cgroupRoot.resolve(line.substring("0::/".length()));
                    String max = Files.readString(dir.resolve("memory.max")).strip();
                    if (max.equals("max")) {
                        return OptionalLong.empty();
                    }
                    long current = Long.parseLong(
                            Files.readString(dir.resolve("memory.current")).strip());
                    return OptionalLong.of(Math.max(0, Long.parseLong(max) - current));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No cgroup v2, or no memory controller for us: no cgroup limit known.
        }
        return OptionalLong.empty();
    }
}
