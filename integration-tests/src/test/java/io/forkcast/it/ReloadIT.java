package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP re-reads the config file and applies what can change live, without dropping anyone. */
@Timeout(120)
class ReloadIT {
    @TempDir
    Path dir;

    private Path write(String... lines) throws Exception {
        return Files.write(dir.resolve("forkcast.conf"), List.of(lines));
    }

    /** A round trip through the hub: orders the supervisor sent before it have reached the client's worker. */
    private static void sync(TelnetClient client, int people) throws Exception {
        client.send("/who *");
        client.expect("*** " + people + (people == 1 ? " person" : " people") + " connected:");
    }

    @Test
    void aReloadRaisesTheLineLimitOfAConnectedClientWithoutDroppingIt() throws Exception {
        Path conf = write("max_line_bytes = 100");
        try (var server = ForkcastServer.start("--config", conf.toString());
                var a = server.join();
                var b = server.join()) {
            a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
            a.send("x".repeat(150));
            a.expect("*** line too long (max 100 bytes)");

            write("max_line_bytes = 200", "motd = Welcome back\\nBe kind.", "outbox_max_bytes = 131072");
            server.signal("HUP");
            server.awaitLog("event=reload changed=max_line_bytes,motd ignored=outbox_max_bytes clients=2");
            sync(a, 2);
            a.send("y".repeat(150));
            b.expect("[" + a.address() + "] (" + a.pid() + "): " + "y".repeat(150));
            try (var c = server.join()) {
                assertEquals("*** Welcome back", c.readLine());
                assertEquals("*** Be kind.", c.readLine());
            }
            b.send("still here");
            a.expect("[" + b.address() + "] (" + b.pid() + "): still here");
            assertEquals(0, server.countLog("event=left worker=[12] "), server.logText());
        }
    }

    @Test
    void aBadConfigOnReloadIsRefusedWholeAndTheOldOneKept() throws Exception {
        Path conf = write("max_line_bytes = 100", "motd = first");
        try (var server = ForkcastServer.start("--config", conf.toString());
                var a = server.join()) {
            assertEquals("*** first", a.readLine());
            write("max_line_bytes = 300", "motd = second", "frobnicate = 1");
            server.signal("HUP");
            String failed = server.awaitLog("event=reload_failed ");
            assertTrue(failed.contains(conf + ":3: unknown key frobnicate"), failed);
            sync(a, 1);
            a.send("x".repeat(150));
            a.expect("*** line too long (max 100 bytes)");
            try (var b = server.join()) {
                assertEquals("*** first", b.readLine());
            }
            assertTrue(server.process().isAlive());
        }
    }

    @Test
    void aReloadAppliesANewAdminGroupAndRefusesOneThatDoesNotExist() throws Exception {
        Path conf = write("motd = one");
        try (var server = ForkcastServer.start("--config", conf.toString());
                var a = server.join()) {
            var runtimeDir = server.runtimeDir();
            assertEquals(
                    "rwx------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(runtimeDir)));
            write("motd = one", "admin_group = users");
            server.signal("HUP");
            server.awaitLog("event=reload changed=admin_group ");
            assertEquals(
                    "rwx--x---",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(runtimeDir)));
            assertEquals(
                    "users",
                    Files.readAttributes(
                                    runtimeDir.resolve("admin.sock"), java.nio.file.attribute.PosixFileAttributes.class)
                            .group()
                            .getName());

            write("motd = two", "admin_group = no-such-group-here");
            server.signal("HUP");
            String failed = server.awaitLog("event=reload_failed ");
            assertTrue(failed.contains("no group named no-such-group-here"), failed);
            // Refused whole: the motd did not change either, and the group stays.
            try (var b = server.join()) {
                assertEquals("*** one", b.readLine());
            }
            assertEquals(
                    "rwx--x---",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(runtimeDir)));
            a.expectLine(l -> l.endsWith(") left"));
            sync(a, 1);
        }
    }
}
