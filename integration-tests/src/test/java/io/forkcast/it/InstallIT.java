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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** scripts/install staged under a temporary root (as a package build would): the tree it lays out runs. */
@Timeout(120)
class InstallIT {
    @TempDir
    Path root;

    static String install(String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(ForkcastServer.HOME.resolve("scripts/install").toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FORKCAST_NO_BUILD", "1");
        var process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "install did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aStagedInstallStartsAndServesAClient() throws Exception {
        install("--root", root.toString());
        Path prefix = root.resolve("opt/forkcast");
        assertTrue(Files.isExecutable(prefix.resolve("bin/forkcast")));
        assertTrue(
                names(prefix.resolve("lib/supervisor")).stream().anyMatch(n -> n.startsWith("forkcast-supervisor-")));
        assertTrue(names(prefix.resolve("lib/worker")).stream().anyMatch(n -> n.startsWith("forkcast-worker-")));
        assertFalse(
                names(prefix.resolve("lib/worker")).stream().anyMatch(n -> n.startsWith("jnr-")),
                "workers load no jnr");
        Path units = root.resolve("etc/systemd/system");
        assertEquals(
                List.of(
                        "forkcast-broker.socket",
                        "forkcast-mqtt.socket",
                        "forkcast-websocket.socket",
                        "forkcast.service",
                        "forkcast.socket"),
                names(units));
        assertTrue(Files.readString(units.resolve("forkcast.service"))
                .contains("\nExecStart=/opt/forkcast/bin/forkcast run --config /etc/forkcast/forkcast.conf "));
        Path config = root.resolve("etc/forkcast/forkcast.conf");
        assertEquals(
                Files.readString(ForkcastServer.HOME.resolve("scripts/forkcast.conf.example")),
                Files.readString(config));

        try (var server = ForkcastServer.start(
                        List.of(prefix.resolve("bin/forkcast").toString(), "run"),
                        Map.of(),
                        List.of("--config", config.toString()));
                var client = server.join()) {
            server.awaitLog("event=join worker=1 pid=" + client.pid() + " ");
            String cmdline = Files.readString(Path.of("/proc/" + server.pid() + "/cmdline"))
                    .replace('\0', ' ');
            assertTrue(cmdline.contains(prefix.resolve("lib/supervisor").toString()), cmdline);
            assertFalse(
                    cmdline.contains(
                            ForkcastServer.HOME.resolve("supervisor/target").toString()),
                    cmdline);
        }
    }

    @Test
    void aReinstallKeepsTheOperatorsConfigAndRendersTheUnitsForItsPrefix() throws Exception {
        install("--root", root.toString(), "--prefix", "/usr/local/forkcast");
        Path config = root.resolve("etc/forkcast/forkcast.conf");
        Files.writeString(config, "motd = ours\n");
        Path stale = Files.createFile(root.resolve("usr/local/forkcast/lib/worker/stale-0.0.jar"));
        String output = install("--root", root.toString(), "--prefix", "/usr/local/forkcast");
        assertTrue(output.contains("keeping the existing " + config), output);
        assertEquals("motd = ours\n", Files.readString(config));
        assertFalse(Files.exists(stale), "an earlier install's jars are replaced, not mixed with the new ones");
        String service = Files.readString(root.resolve("etc/systemd/system/forkcast.service"));
        assertTrue(service.contains("\nExecStart=/usr/local/forkcast/bin/forkcast run "), service);
        assertFalse(service.contains("/opt/forkcast"), service);
    }
}
