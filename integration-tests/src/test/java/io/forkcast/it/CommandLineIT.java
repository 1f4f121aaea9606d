package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The launcher's contract: READY line, modes of the runtime directory, one-line errors with exit code 2. */
@Timeout(120)
class CommandLineIT {

    record Result(int code, String stdout, String stderr) {}

    static Result run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    /** {@link #run(String...)} with {@code env} added to the launcher's environment. */
    static Result run(Map<String, String> env, String... args) throws Exception {
        var command = new java.util.ArrayList<String>();
        command.add(ForkcastServer.HOME.resolve("scripts/forkcast").toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("FORKCAST_NO_BUILD", "1");
        builder.environment().putAll(env);
        var process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(
                process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownFlagIsOneLineAndExitCode2() throws Exception {
        var result = run("run", "--frobnicate", "7");
        assertEquals(2, result.code());
        assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
        assertTrue(result.stderr().startsWith("forkcast: unknown option --frobnicate"), result.stderr());
    }

    @Test
    void aBadPortIsOneLineAndExitCode2() throws Exception {
        var result = run("run", "--port", "70000");
        assertEquals(2, result.code());
        assertEquals(
                "forkcast: bad value for --port: 70000 is outside 0..65535",
                result.stderr().strip());
    }

    @Test
    void aPortInUseIsOneLineAndExitCode2() throws Exception {
        try (var server = ForkcastServer.start()) {
            var dir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
            var result = run(
                    "run",
                    "--port",
                    Integer.toString(server.port()),
                    "--runtime-dir",
                    dir.resolve("run").toString());
            assertEquals(2, result.code());
            assertEquals(1, result.stderr().strip().lines().count(), result.stderr());
            assertTrue(
                    result.stderr().startsWith("forkcast: cannot listen on 127.0.0.1:" + server.port()),
                    result.stderr());
            assertFalse(result.stderr().contains("Exception"), result.stderr());
        }
    }

    @Test
    void forkcastSupervisorJvmOptsComeAfterTheLaunchersOwn() throws Exception {
        var launcher = List.of(ForkcastServer.HOME.resolve("scripts/forkcast").toString(), "run");
        var environment = java.util.Map.of("FORKCAST_SUPERVISOR_JVM_OPTS", "-Xms12m  -Dforkcast.it.marker=on");
        try (var server = ForkcastServer.start(launcher, environment, List.of());
                var client = server.join()) {
            client.send("/who");
            client.expect("*** 1 person in #lobby:");
            var argv = List.of(Files.readString(Path.of("/proc/" + server.pid() + "/cmdline"))
                    .split("\0"));
            assertTrue(argv.contains("-Dforkcast.it.marker=on"), argv.toString());
            assertTrue(argv.contains("-Xms8m"), argv.toString());
            assertTrue(argv.indexOf("-Xms12m") > argv.indexOf("-Xms8m"), "after the launcher's -Xms8m: " + argv);
            assertFalse(argv.contains(""), "no empty argument from the double space: " + argv);
        }
    }

    @Test
    void aMissingWorkerAotCacheIsOneLogLineAndWorkersStartWithoutIt() throws Exception {
        try (var server = ForkcastServer.start("--worker-aot-cache", "/nonexistent/worker.aot");
                var a = server.join();
                var b = server.join()) {
            a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
            assertEquals(1, server.countLog("event=aot_cache state=missing"), server.logText());
            assertFalse(server.logText().contains("[error][aot]"), server.logText());
        }
    }

    @Test
    void theRuntimeDirectoryIsPrivateAndTheHubSocketOwnerOnly() throws Exception {
        try (var server = ForkcastServer.start()) {
            assertEquals(
                    "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(server.runtimeDir())));
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(server.runtimeDir().resolve("hub.sock"))));
        }
    }
}
