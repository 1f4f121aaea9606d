package io.forkcast.supervisor.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Lines made by Apache's real {@code htpasswd} (apache2-utils, installed by scripts/ci-deps). Without it a test
 * is skipped with a loud message, or fails under {@code CI=true}.
 */
final class Htpasswd {
    private Htpasswd() {}

    /** {@code htpasswd -nb<flags> user password} with {@code extra} options first, e.g. {@code ("B", "-C", "10")}. */
    static String line(String flags, String user, String password, String... extra) throws IOException {
        var command = new ArrayList<String>(List.of(require(), "-nb" + flags));
        command.addAll(List.of(extra));
        command.add(user);
        command.add(password);
        var process = new ProcessBuilder(command).redirectErrorStream(false).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("htpasswd did not finish: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.exitValue(), "htpasswd " + command + " failed: " + out);
        return out;
    }

    private static String require() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator, -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "htpasswd");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        String why = "the users file tests need 'htpasswd' on PATH; install apache2-utils with scripts/ci-deps";
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and " + why);
        }
        System.err.println("\n!!!!!!!! SKIPPED: " + why + " !!!!!!!!\n");
        Assumptions.abort(why);
        return null;
    }
}
