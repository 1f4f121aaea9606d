package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher loads a workers' AOT cache (code every worker runs) only from a directory and files that no one
 * but the server's user and root can write; under systemd the cache is trained before the service starts and
 * installed root-owned, out of the service's reach.
 */
@Timeout(300)
class AotTrustIT {
    record Result(int code, String output) {}

    static Result launcher(Map<String, String> env, String... args) throws Exception {
        var command = new java.util.ArrayList<>(
                List.of(ForkcastServer.HOME.resolve("scripts/forkcast").toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FORKCAST_NO_BUILD", "1");
        builder.environment().putAll(env);
        var process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(240, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsNeverUsedNorTrainedInto() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-aot-");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            var result = launcher(Map.of("FORKCAST_CACHE_DIR", dir.toString()), "aot");
            assertEquals(1, result.code(), result.output());
            assertTrue(
                    result.output()
                            .contains("forkcast: worker AOT cache off: " + dir
                                    + " is writable by group or others (mode 777); workers start without it"),
                    result.output());
            assertFalse(Files.exists(dir.resolve("worker.aot")));
        } finally {
            delete(dir);
        }
    }

    @Test
    void aCacheDirectoryOwnedBySomeoneElseIsNeverUsed() throws Exception {
        assumeTrue(Tools.uid() == 0, "needs root to give the directory to another user");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-aot-");
        try {
            Files.setAttribute(dir, "unix:uid", 65534);
            var result = launcher(Map.of("FORKCAST_CACHE_DIR", dir.toString()), "aot");
            assertEquals(1, result.code(), result.output());
            assertTrue(
                    result.output().contains(dir + " is owned by uid 65534, not by this server's uid 0 or root"),
                    result.output());
        } finally {
            delete(dir);
        }
    }

    @Test
    void theUnitsCacheIsTrainedAsTheServersUserAndInstalledRootOwned() throws Exception {
        assumeTrue(Tools.uid() == 0, "aot --system runs as root");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-aot-");
        try {
            var result = launcher(Map.of("FORKCAST_CACHE_DIR", dir.toString()), "aot", "--system", "nobody");
            assertEquals(0, result.code(), result.output());
            for (String name : List.of("worker.aot", "worker.aot.stamp")) {
                Path file = dir.resolve(name);
                assertTrue(Files.exists(file), name + "; " + result.output());
                assertEquals(0, Files.getAttribute(file, "unix:uid"), name);
                assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), name);
            }
            // Fresh now: a second run leaves it as it is, and the launcher uses it (read-only is enough).
            long mtime = Files.getLastModifiedTime(dir.resolve("worker.aot")).toMillis();
            assertEquals(
                    0,
                    launcher(Map.of("FORKCAST_CACHE_DIR", dir.toString()), "aot", "--system", "nobody")
                            .code());
            assertEquals(
                    mtime, Files.getLastModifiedTime(dir.resolve("worker.aot")).toMillis());
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
