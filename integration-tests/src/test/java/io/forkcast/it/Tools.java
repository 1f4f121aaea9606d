package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The programs some tests drive besides the JDK (php, chromium, chromedriver, setpriv). A missing one skips the
 * test with a loud message, or fails it under {@code CI=true}, where scripts/ci-deps should have installed it.
 */
final class Tools {
    private Tools() {}

    /** The executable {@code name} on PATH; skips (or under CI fails) the test when there is none. */
    static Path require(String name, String what) {
        Path found = find(name);
        if (found == null) {
            unavailable(what + " needs '" + name + "' on PATH; install it with scripts/ci-deps (as root)");
        }
        return found;
    }

    /** Skips (or under CI fails) the test, saying why on stderr so that a skip is never silent. */
    static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and " + why);
        }
        System.err.println("\n!!!!!!!! SKIPPED: " + why + " !!!!!!!!\n");
        Assumptions.abort(why);
    }

    static Path find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator, -1)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static int uid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }

    /** A port that was free a moment ago, for programs that cannot pick their own and report it. */
    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A free port outside the kernel's ephemeral range, so that no test's --port 0 listener takes it meanwhile. */
    static int stablePort() throws IOException {
        while (true) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (var probe = new ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // Try another.
            }
        }
    }

    /**
     * {@code systemd-socket-activate} listening on {@code ports} of 127.0.0.1 (named {@code fdNames}, colon
     * separated, or none when null), passing {@code environment} on, then running {@code scripts/forkcast run}.
     */
    static java.util.List<String> socketActivated(
            String fdNames, java.util.List<Integer> ports, String... environment) {
        var command = new java.util.ArrayList<String>(java.util.List.of("systemd-socket-activate"));
        for (int port : ports) {
            command.addAll(java.util.List.of("-l", "127.0.0.1:" + port));
        }
        if (fdNames != null) {
            command.add("--fdname=" + fdNames);
        }
        for (String variable : java.util.List.of("PATH", "JAVA_HOME")) {
            if (System.getenv(variable) != null) {
                command.addAll(java.util.List.of("-E", variable));
            }
        }
        command.addAll(java.util.List.of("-E", "FORKCAST_NO_BUILD=1"));
        for (String e : environment) {
            command.addAll(java.util.List.of("-E", e));
        }
        command.addAll(java.util.List.of(
                ForkcastServer.HOME.resolve("scripts/forkcast").toString(), "run"));
        return command;
    }
}
