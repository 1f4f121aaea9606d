package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One admin user cannot hold the admin socket: a cap per uid, room kept for root, and an idle timeout. */
@Timeout(120)
class AdminQuotaIT {
    @Test
    void aUserPastItsConnectionCapIsRefusedWhileRootStillGetsIn() throws Exception {
        if (Tools.uid() != 0) {
            Tools.unavailable("holding the admin socket as another user needs root (to switch uid)");
        }
        Path setpriv = Tools.require("setpriv", "holding the admin socket as another user");
        int users = groupId("users");
        try (var server = ForkcastServer.start("--admin-group", "users", "--admin-connections-per-uid-max", "3")) {
            Path dir = server.runtimeDir().getParent();
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Path source = Files.copy(
                    Path.of(AdminQuotaIT.class.getResource("/HoldAdmin.java").toURI()), dir.resolve("HoldAdmin.java"));
            Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            try (var holder = ChildProcess.start(
                    List.of(
                            setpriv.toString(),
                            "--reuid=65534",
                            "--regid=" + users,
                            "--clear-groups",
                            "--",
                            java,
                            "-XX:-UsePerfData",
                            "-XX:TieredStopAtLevel=1",
                            source.toString(),
                            RawAdmin.socketOf(server).toString(),
                            "4"),
                    Map.of(),
                    Path.of("/"))) {
                holder.awaitOutput("holding 4", Duration.ofSeconds(60));
                var said = holder.output();
                for (int i = 1; i <= 3; i++) {
                    String prefix = "connection " + i + ": ";
                    assertTrue(
                            said.stream().anyMatch(l -> l.startsWith(prefix) && !l.contains("ERROR")), said.toString());
                }
                assertTrue(
                        said.contains("connection 4: ERROR too many admin connections for uid 65534 (limit 3)"),
                        said.toString());
                server.awaitLog(
                        "event=admin_refused pid=\\d+ uid=65534 gid=" + users + " reason=per_uid open=3 limit=3");
                // Root is not held to the cap, and the three held connections are still served.
                try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                    var stats = admin.stats();
                    assertEquals(4, stats.get("admin_connections"), stats.toString());
                    assertEquals(1, stats.get("admin_refused"), stats.toString());
                }
            }
        }
    }

    @Test
    void anAdminConnectionThatSaysNothingIsToldAndClosedAfterTheIdleTimeout() throws Exception {
        try (var server = ForkcastServer.start("--admin-idle-timeout", "1s");
                var admin = RawAdmin.connect(RawAdmin.socketOf(server))) {
            assertEquals("ERROR idle for too long (limit 1 s), closing", admin.readLine());
            admin.expectClosed();
            server.awaitLog("event=admin_idle admin=\\d+ .*limit_ms=1000");
            try (var client = AdminClient.connect(RawAdmin.socketOf(server))) {
                assertEquals(1, client.stats().get("admin_idle_closed"));
            }
        }
    }

    private static int groupId(String name) throws Exception {
        for (var line : Files.readAllLines(Path.of("/etc/group"))) {
            var fields = line.split(":", -1);
            if (fields.length > 2 && fields[0].equals(name)) {
                return Integer.parseInt(fields[2]);
            }
        }
        Tools.unavailable("the admin quota test needs a group named " + name + " in /etc/group");
        return -1;
    }
}
