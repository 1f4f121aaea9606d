package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The systemd units verify cleanly, say what operators rely on, and the README states their exposure. */
@Timeout(120)
class UnitFilesIT {
    static final Path UNITS = ForkcastServer.HOME.resolve("scripts/systemd");
    private static final Pattern SCORE = Pattern.compile("exposure level (\\d+\\.\\d+ [A-Z]+)");

    @TempDir
    Path dir;

    record Result(int code, String stdout, String stderr) {}

    static Result checkUnits(String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(ForkcastServer.HOME.resolve("scripts/check-units").toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().put("FORKCAST_NO_BUILD", "1");
        builder.redirectErrorStream(false);
        var process = builder.start();
        process.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                err.complete(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                err.complete("");
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "check-units did not finish");
        return new Result(process.exitValue(), out, err.get());
    }

    /** Every {@code Key=value} of a unit file, values of repeated keys in order. */
    static Map<String, List<String>> directives(Path unit) throws Exception {
        var map = new LinkedHashMap<String, List<String>>();
        for (String line : Files.readAllLines(unit)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[") && eq > 0) {
                map.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
                        .add(line.substring(eq + 1));
            }
        }
        return map;
    }

    @Test
    void bothUnitsVerifyWithoutASingleLineOfOutput() throws Exception {
        var result = checkUnits();
        assertEquals(0, result.code(), result.stderr());
        assertEquals("", result.stderr());
        assertTrue(SCORE.matcher(result.stdout()).find(), result.stdout());
    }

    @Test
    void aMisspeltSettingFailsTheCheckAlthoughVerifyExitsZero() throws Exception {
        Path service = Files.writeString(
                dir.resolve("forkcast.service"),
                Files.readString(UNITS.resolve("forkcast.service")).replace("ProtectHome=yes", "ProtectHom=yes"));
        var result =
                checkUnits(service.toString(), UNITS.resolve("forkcast.socket").toString());
        assertEquals(1, result.code(), result.stdout());
        assertTrue(result.stderr().contains("Unknown key 'ProtectHom'"), result.stderr());
    }

    @Test
    void anExecStartThatTheInstallDoesNotProduceFailsTheCheck() throws Exception {
        Path service = Files.writeString(
                dir.resolve("forkcast.service"),
                Files.readString(UNITS.resolve("forkcast.service"))
                        .replace("/opt/forkcast/bin/forkcast ", "/opt/forkcast/forkcast "));
        var result =
                checkUnits(service.toString(), UNITS.resolve("forkcast.socket").toString());
        assertEquals(1, result.code(), result.stdout());
        assertTrue(result.stderr().contains("is not executable"), result.stderr());
    }

    @Test
    void theReadmeRecordsTheCurrentExposureLevel() throws Exception {
        Matcher measured = SCORE.matcher(checkUnits().stdout());
        assertTrue(measured.find());
        String readme = Files.readString(ForkcastServer.HOME.resolve("README.md"));
        Matcher recorded = SCORE.matcher(readme);
        assertTrue(recorded.find(), "README.md records no exposure level");
        assertEquals(measured.group(1), recorded.group(1), "README.md's exposure level is out of date");
    }

    @Test
    void theServiceKeepsTheSettingsOperatorsRelyOn() throws Exception {
        var service = directives(UNITS.resolve("forkcast.service"));
        var expected = Map.ofEntries(
                Map.entry("Type", "notify"),
                Map.entry("NotifyAccess", "main"),
                Map.entry("ExecReload", "/bin/kill -HUP $MAINPID"),
                Map.entry("Restart", "on-failure"),
                Map.entry("RuntimeDirectory", "forkcast"),
                Map.entry("RuntimeDirectoryPreserve", "restart"),
                Map.entry("StateDirectory", "forkcast"),
                Map.entry("KillMode", "process"),
                Map.entry("User", "forkcast"),
                Map.entry("ProtectSystem", "strict"),
                Map.entry("ProtectHome", "yes"),
                Map.entry("PrivateTmp", "yes"),
                Map.entry("NoNewPrivileges", "yes"));
        expected.forEach((key, value) -> assertEquals(List.of(value), service.get(key), key));
        for (String key : List.of("WatchdogSec", "TimeoutStopSec", "TasksMax", "LimitNOFILE")) {
            assertTrue(service.containsKey(key), key);
        }
        // MemoryMax= and TasksMax= are sized from the figure workers_max = auto divides by, at its cap.
        var budget = io.forkcast.supervisor.spawn.WorkerBudget.class;
        int workers = io.forkcast.supervisor.spawn.WorkerBudget.CAP
                + io.forkcast.supervisor.config.Config.defaults().pool().maxSpare();
        long mib = 1024 * 1024;
        assertEquals(
                List.of((workers * io.forkcast.supervisor.spawn.WorkerBudget.WORKER_BYTES
                                        + io.forkcast.supervisor.spawn.WorkerBudget.SUPERVISOR_RESERVE_BYTES)
                                / mib
                        + "M"),
                service.get("MemoryMax"),
                budget.getSimpleName());
        assertTrue(Integer.parseInt(service.get("TasksMax").getFirst()) >= workers * 12 + 20, "TasksMax");
        assertTrue(service.get("ExecStart").getFirst().startsWith("/opt/forkcast/bin/forkcast run "));
        assertTrue(service.get("ExecStart").getFirst().contains(" --state-dir %S/forkcast"), "the store's directory");
        assertFalse(service.containsKey("MemoryDenyWriteExecute"), "the JIT needs writable executable memory");
        // The supervisor stops its workers itself well within the stop timeout.
        assertTrue(Integer.parseInt(service.get("TimeoutStopSec").getFirst().replace("s", "")) >= 10);
        var defaults = io.forkcast.supervisor.config.Config.defaults();
        assertEquals(
                List.of(defaults.bind() + ":" + defaults.port()),
                directives(UNITS.resolve("forkcast.socket")).get("ListenStream"),
                "the socket serves the default port");
    }
}
