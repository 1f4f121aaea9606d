package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The config file through the launcher: check-config, problems at start, and flags over the file. */
@Timeout(120)
class ConfigIT {
    @TempDir
    Path dir;

    record Result(int code, String stdout, String stderr) {}

    /** Runs scripts/forkcast with {@code args} and {@code env} added to a systemd-free environment. */
    static Result run(Map<String, String> env, String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(ForkcastServer.HOME.resolve("scripts/forkcast").toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("FORKCAST_NO_BUILD", "1");
        builder.environment().keySet().removeAll(ForkcastServer.SYSTEMD_VARIABLES);
        builder.environment().putAll(env);
        var process = builder.start();
        process.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                err.complete(process.getErrorStream().readAllBytes());
            } catch (java.io.IOException e) {
                err.complete(new byte[0]);
            }
        });
        var out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not exit");
        return new Result(
                process.exitValue(),
                new String(out, StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private Path file(String... lines) throws Exception {
        return Files.write(dir.resolve("forkcast.conf"), List.of(lines));
    }

    @Test
    void checkConfigPassesTheAnnotatedExample() throws Exception {
        Path example = ForkcastServer.HOME.resolve("scripts/forkcast.conf.example");
        var result = run(Map.of(), "check-config", example.toString());
        assertEquals(0, result.code(), result.stderr());
        assertEquals("OK " + example, result.stdout().strip());
        assertEquals("", result.stderr());
    }

    @Test
    void checkConfigReportsEveryProblemWithFileAndLineAndExits2() throws Exception {
        Path f = file("# forkcast", "max_line_bytes = 10", "colour = blue", "port = 4444");
        var result = run(Map.of(), "check-config", f.toString());
        assertEquals(2, result.code());
        assertEquals("", result.stdout());
        assertEquals(
                List.of(
                        "forkcast: " + f + ":2: bad value for max_line_bytes: 10 is outside 16..1048576",
                        "forkcast: " + f + ":3: unknown key colour (scripts/forkcast help lists the settings)"),
                result.stderr().strip().lines().toList());
    }

    @Test
    void checkConfigOfAMissingFileIsOneLine() throws Exception {
        Path missing = dir.resolve("missing.conf");
        var result = run(Map.of(), "check-config", missing.toString());
        assertEquals(2, result.code());
        assertEquals(
                "forkcast: cannot read config " + missing + ": no such file",
                result.stderr().strip());
    }

    @Test
    void aBadConfigFileStopsTheServerAtStartWithOneLinePerProblem() throws Exception {
        Path f = file("workers_max = many", "flood_burst = 0");
        var result = run(
                Map.of(),
                "run",
                "--config",
                f.toString(),
                "--port",
                "0",
                "--runtime-dir",
                dir.resolve("run").toString());
        assertEquals(2, result.code());
        assertEquals(
                List.of(
                        "forkcast: " + f + ":1: bad value for workers_max: not a whole number: many",
                        "forkcast: " + f + ":2: bad value for flood_burst: 0 is outside 1..1000000"),
                result.stderr().strip().lines().toList());
        assertFalse(result.stdout().contains("READY"), result.stdout());
    }

    @Test
    void flagsOverrideTheConfigFile() throws Exception {
        // The file's address is not on this machine: the server only starts if the flag wins.
        Path f = file("bind = 192.0.2.1", "max_line_bytes = 100");
        try (var server = ForkcastServer.start("--config", f.toString(), "--bind", "127.0.0.1");
                var client = server.join()) {
            client.send("x".repeat(150));
            client.expect("*** line too long (max 100 bytes)");
            server.awaitLog("event=ready .*config=" + java.util.regex.Pattern.quote(f.toString()));
        }
    }
}
