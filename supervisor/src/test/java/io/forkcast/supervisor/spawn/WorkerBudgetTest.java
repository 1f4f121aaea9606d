package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void anExplicitSettingWins() {
        assertEquals(new WorkerBudget.Sized(7, "config", -1), WorkerBudget.workersMax(7));
    }

    @Test
    void autoDividesWhatIsLeftAfterTheReserveByTheWorkerBudgetCapped() {
        // 5 GiB: (5120 - 256) / 24 = 202 workers.
        assertEquals(
                202, WorkerBudget.fromAvailable(OptionalLong.of(5120 * MIB)).value());
        assertEquals(
                "memory",
                WorkerBudget.fromAvailable(OptionalLong.of(5120 * MIB)).source());
        assertEquals(
                WorkerBudget.CAP,
                WorkerBudget.fromAvailable(OptionalLong.of(64L * 1024 * MIB)).value());
        assertEquals(1, WorkerBudget.fromAvailable(OptionalLong.of(100 * MIB)).value());
        assertEquals(
                new WorkerBudget.Sized(WorkerBudget.FALLBACK, "default", -1),
                WorkerBudget.fromAvailable(OptionalLong.empty()));
    }

    @Test
    void theServicesCgroupLimitCountsWhenItIsLowerThanMemAvailable(@TempDir Path dir) throws IOException {
        var proc = Files.createDirectories(dir.resolve("proc/self"));
        Files.writeString(dir.resolve("proc/meminfo"), "MemTotal: 33554432 kB\nMemAvailable: 16777216 kB\n");
        Files.writeString(proc.resolve("cgroup"), "0::/system.slice/forkcast.service\n");
        var cgroup = Files.createDirectories(dir.resolve("cg/system.slice/forkcast.service"));
        Files.writeString(cgroup.resolve("memory.max"), Long.toString(1024 * MIB) + "\n");
        Files.writeString(cgroup.resolve("memory.current"), Long.toString(100 * MIB) + "\n");
        assertEquals(OptionalLong.of(924 * MIB), WorkerBudget.available(dir.resolve("proc"), dir.resolve("cg")));

        Files.writeString(cgroup.resolve("memory.max"), "max\n");
        assertEquals(OptionalLong.of(16L * 1024 * MIB), WorkerBudget.available(dir.resolve("proc"), dir.resolve("cg")));
    }
}
