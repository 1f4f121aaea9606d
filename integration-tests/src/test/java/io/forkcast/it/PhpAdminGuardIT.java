package io.forkcast.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/** The guard of the PHP admin pages (scripts/admin/php/guard.php, included first by each), under {@code php -S}. */
class PhpAdminGuardIT extends AdminGuardContract {
    private static final Path PAGES = ForkcastServer.HOME.resolve("scripts/admin/php");

    @Override
    Page open(ForkcastServer server, Path passwordFile, String allowedHosts) throws Exception {
        Path php = PhpAdminIT.php();
        int port = Tools.freePort();
        var environment = new HashMap<String, String>();
        environment.put("FORKCAST_ADMIN_SOCKET", RawAdmin.socketOf(server).toString());
        // No config file of the machine's: only what this test sets.
        environment.put("FORKCAST_CONFIG", "/nonexistent");
        if (passwordFile != null) {
            environment.put("FORKCAST_ADMIN_WEB_PASSWORD_FILE", passwordFile.toString());
        }
        if (allowedHosts != null) {
            environment.put("FORKCAST_ADMIN_WEB_HOSTS", allowedHosts);
        }
        var process = ChildProcess.start(
                List.of(php.toString(), "-S", "127.0.0.1:" + port, "-t", PAGES.toString()), environment, PAGES);
        try {
            process.awaitOutput(
                    "Development Server \\(http://127\\.0\\.0\\.1:" + port + "\\) started", Duration.ofSeconds(30));
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
                return "/" + name;
            }

            @Override
            public void close() {
                process.close();
            }
        };
    }
}
