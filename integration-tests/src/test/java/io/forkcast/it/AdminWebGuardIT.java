package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The guard of the Java admin page ({@code scripts/forkcast admin-web}), and what only it does: refuse to start. */
class AdminWebGuardIT extends AdminGuardContract {
    @Override
    Page open(ForkcastServer server, Path passwordFile, String allowedHosts) throws Exception {
        var extra = new ArrayList<String>();
        if (passwordFile != null) {
            extra.addAll(List.of("--password-file", passwordFile.toString()));
        }
        if (allowedHosts != null) {
            extra.addAll(List.of("--allowed-hosts", allowedHosts));
        }
        var process = AdminWebIT.startAdminWeb(server, extra.toArray(String[]::new));
        int port;
        try {
            String ready = process.awaitOutput("^READY http://", Duration.ofSeconds(60));
            var m = Pattern.compile(":(\\d+)/").matcher(ready);
            assertTrue(m.find(), ready);
            port = Integer.parseInt(m.group(1));
        } catch (AssertionError e) {
            process.close();
            throw e;
        }
        return new Page() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public String path(String name) {
                return name.equals("admin.php") ? "/" : "/" + name;
            }

            @Override
            public void close() {
                process.close();
            }
        };
    }

    @Test
    void onAnAddressOtherThanLoopbackItDoesNotStartWithoutACredential() throws Exception {
        var result = CommandLineIT.run("admin-web", "--bind", "0.0.0.0", "--port", "0");
        assertEquals(2, result.code());
        assertTrue(
                result.stderr()
                        .startsWith("forkcast: the admin page on 0.0.0.0 (not loopback) needs a credential:"
                                + " --password-file FILE (admin_web_password_file)"),
                result.stderr());
        Path open = Files.createTempFile(Path.of("/tmp"), "fc-pw-", ".txt");
        try {
            Files.writeString(open, CREDENTIAL + "\n");
            Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            var readable = CommandLineIT.run("admin-web", "--port", "0", "--password-file", open.toString());
            assertEquals(2, readable.code());
            assertTrue(readable.stderr().contains("readable or writable by others: chmod 600"), readable.stderr());
        } finally {
            Files.deleteIfExists(open);
        }
    }
}
