package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime directory holds the hub and admin sockets: one a stranger could reach or swap is refused at start
 * (one line, exit 2), and workers are given its real path.
 */
@Timeout(120)
class RuntimeDirIT {
    private Path dir;

    @BeforeEach
    void makeDir() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
    }

    @AfterEach
    void removeDir() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static CommandLineIT.Result run(Path runtimeDir) throws Exception {
        return CommandLineIT.run(
                "run", "--port", "0", "--ws-port", "0", "--mqtt-port", "0", "--runtime-dir", runtimeDir.toString());
    }

    private static void assertOneLineRefusal(CommandLineIT.Result result, String expected) {
        assertEquals(2, result.code(), result.stdout() + result.stderr());
        assertEquals(expected, result.stderr().strip());
        assertFalse(result.stdout().contains("READY"), result.stdout());
    }

    @Test
    void aRuntimeDirectoryThatIsASymbolicLinkIsRefused() throws Exception {
        Path real = Files.createDirectory(
                dir.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(dir.resolve("run"), real);
        assertOneLineRefusal(
                run(link),
                "forkcast: runtime directory " + link + " is a symbolic link (to " + real
                        + "); give its real path instead");
        assertEquals(List.of(), List.of(real.toFile().list()), "nothing was created behind the link");
    }

    @Test
    void aRuntimeDirectoryOthersCanEnterIsRefused() throws Exception {
        Path open = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertOneLineRefusal(
                run(open),
                "forkcast: runtime directory " + open + " has mode rwxr-xr-x; it must be rwx------ (0700): chmod 700 "
                        + open);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(open)));
    }

    @Test
    void aRuntimeDirectoryOwnedBySomeoneElseIsRefused() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Path theirs;
        int owner;
        if (uid == 0) {
            theirs = Files.createDirectory(dir.resolve("run"));
            Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
            new ProcessBuilder("chown", "65534", theirs.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
            owner = 65534;
        } else {
            theirs = Path.of("/");
            owner = 0;
        }
        assertOneLineRefusal(
                run(theirs),
                "forkcast: runtime directory " + theirs + " is owned by uid " + owner + ", not by this server's uid "
                        + uid);
    }

    @Test
    void workersAreGivenTheRealPathOfTheRuntimeDirectory() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path viaLink = Files.createSymbolicLink(dir.resolve("link"), real).resolve("run");
        try (var server = ForkcastServer.start("--runtime-dir", viaLink.toString(), "--pool-min-spare", "1")) {
            String hub = "--hub\0" + real.resolve("run/hub.sock") + "\0";
            String cmdline = Await.until(
                    Duration.ofSeconds(30),
                    "a worker started with --hub under the real path\n%s",
                    () -> server.workerPids().stream()
                            .map(RuntimeDirIT::cmdline)
                            .filter(c -> c.contains("--hub\0"))
                            .findFirst()
                            .orElse(null),
                    server::logText);
            assertTrue(cmdline.contains(hub), cmdline.replace('\0', ' '));
            server.awaitLog("event=ready .*runtime_dir="
                    + java.util.regex.Pattern.quote(real.resolve("run").toString()));
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
