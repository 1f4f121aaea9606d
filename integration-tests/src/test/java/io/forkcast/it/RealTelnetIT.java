package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Debian's own telnet client, as a person would use it: it connects, chats and leaves. */
@Timeout(120)
class RealTelnetIT {

    @Test
    void theTelnetClientChatsWithOthers() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/telnet"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("telnet is not installed; scripts/ci-deps installs it");
        }
        assumeTrue(installed, "telnet is not installed (apt-get install telnet); skipping the real-client test");
        try (var server = ForkcastServer.start();
                var other = server.join()) {
            var telnet = new ProcessBuilder("/usr/bin/telnet", server.host(), Integer.toString(server.port()))
                    .redirectErrorStream(true)
                    .start();
            try {
                var lines = linesOf(telnet);
                String banner = next(lines, l -> l.startsWith("Welcome to forkcast, you are "));
                String address = banner.substring("Welcome to forkcast, you are ".length(), banner.indexOf(' ', 30));
                String pid = banner.replaceAll(".*\\(pid (\\d+)\\).*", "$1");
                other.expect("*** " + address + " (" + pid + ") joined");

                OutputStream in = telnet.getOutputStream();
                in.write("hello from a real telnet\n/nick teller\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                other.expect("[" + address + "] (" + pid + "): hello from a real telnet");
                other.expect("*** " + address + " (" + pid + ") is now known as teller");
                next(lines, "*** you are now known as teller"::equals);

                other.send("hi back, teller");
                next(lines, ("[" + other.address() + "] (" + other.pid() + "): hi back, teller")::equals);

                in.write("/quit\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                next(lines, "*** bye"::equals);
                other.expect("*** teller (" + pid + ") left");
                assertTrue(telnet.waitFor(10, TimeUnit.SECONDS), "telnet still running after /quit");
            } finally {
                telnet.destroyForcibly();
            }
        }
    }

    @Test
    void ctrlCInATerminalDoesNotFreezeTheTelnetClient() throws Exception {
        boolean installed =
                Files.isExecutable(Path.of("/usr/bin/telnet")) && Files.isExecutable(Path.of("/usr/bin/script"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("telnet or script is not installed; scripts/ci-deps installs them");
        }
        assumeTrue(installed, "telnet or script is not installed; skipping the terminal test");
        try (var server = ForkcastServer.start();
                var other = server.join()) {
            // script(1) gives telnet a terminal, so Ctrl-C is the terminal's interrupt: telnet sends
            // IAC IP IAC DO TIMING-MARK and shows nothing more until the server answers the TIMING-MARK.
            var telnet = new ProcessBuilder(
                            "/usr/bin/script",
                            "-q",
                            "-e",
                            "-c",
                            "/usr/bin/telnet " + server.host() + " " + server.port(),
                            "/dev/null")
                    .redirectErrorStream(true)
                    .start();
            try {
                var lines = linesOf(telnet);
                String banner = next(lines, l -> l.startsWith("Welcome to forkcast, you are "));
                String pid = banner.replaceAll(".*\\(pid (\\d+)\\).*", "$1");
                other.expectLine(l -> l.endsWith("(" + pid + ") joined"));
                OutputStream in = telnet.getOutputStream();
                in.write("half a line".getBytes(StandardCharsets.UTF_8));
                in.write(3);
                in.flush();
                in.write("after ctrl-c\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                other.expectLine(l -> l.endsWith("(" + pid + "): after ctrl-c"));
                other.send("still visible");
                next(lines, l -> l.endsWith("): still visible"));
                assertTrue(
                        other.seen().stream().noneMatch(l -> l.contains("half a line")),
                        other.seen().toString());
            } finally {
                telnet.destroyForcibly();
            }
        }
    }

    @Test
    void aPasswordTypedIntoTheTelnetClientIsNotShownAndTheEchoComesBackAfterIt(@TempDir Path dir) throws Exception {
        boolean installed =
                Files.isExecutable(Path.of("/usr/bin/telnet")) && Files.isExecutable(Path.of("/usr/bin/script"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("telnet or script is not installed; scripts/ci-deps installs them");
        }
        assumeTrue(installed, "telnet or script is not installed; skipping the terminal test");
        Path users = dir.resolve("users.htpasswd");
        Accounts.htpasswd(users, "alice", "wonderland", "-c");
        try (var server = ForkcastServer.start("--users-file", users.toString());
                var other = server.join()) {
            // A terminal (script(1)), as a person has: what it shows is what telnet and the terminal echo.
            var telnet = new ProcessBuilder(
                            "/usr/bin/script",
                            "-q",
                            "-e",
                            "-c",
                            "/usr/bin/telnet " + server.host() + " " + server.port(),
                            "/dev/null")
                    .redirectErrorStream(true)
                    .start();
            try {
                var screen = new Screen(telnet);
                screen.await("Type /help for commands.");
                OutputStream in = telnet.getOutputStream();
                in.write("/login alice\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                screen.await("password: ");
                in.write("wonderland\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                screen.await("*** you are logged in as alice");
                other.expectLine(l -> l.endsWith(" is now known as alice"));
                in.write("typed after the password\r".getBytes(StandardCharsets.UTF_8));
                in.flush();
                other.expectLine(l -> l.endsWith("): typed after the password"));
                // The terminal echoes again: the line typed after the password is on the screen, the password not.
                screen.await("typed after the password");
                assertTrue(!screen.text().contains("wonderland"), "the password was shown: " + screen.text());
            } finally {
                telnet.destroyForcibly();
            }
        }
    }

    /** Everything a terminal showed, as it comes; waits for a piece of text, prompts without a line end too. */
    private static final class Screen {
        private final StringBuilder text = new StringBuilder();

        Screen(Process process) {
            Thread.ofPlatform().daemon().start(() -> {
                try (var reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                    char[] chunk = new char[4096];
                    int n;
                    while ((n = reader.read(chunk)) >= 0) {
                        synchronized (text) {
                            text.append(chunk, 0, n);
                            text.notifyAll();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the terminal closed
                }
            });
        }

        void await(String piece) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            synchronized (text) {
                while (text.indexOf(piece) < 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the terminal never showed " + piece + "; it showed " + text);
                    }
                    text.wait(Math.max(1, left / 1_000_000));
                }
            }
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }

    /** telnet's output, line by line, as it comes. */
    private static LinkedBlockingQueue<String> linesOf(Process telnet) {
        var lines = new LinkedBlockingQueue<String>();
        Thread.ofPlatform().daemon().start(() -> {
            try (var reader =
                    new BufferedReader(new InputStreamReader(telnet.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line.replace("\r", ""));
                }
            } catch (java.io.IOException ignored) {
                // telnet exited
            }
        });
        return lines;
    }

    private static String next(LinkedBlockingQueue<String> lines, java.util.function.Predicate<String> match)
            throws InterruptedException {
        var seen = new java.util.ArrayList<String>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            if (match.test(line)) {
                return line;
            }
            seen.add(line);
        }
        throw new AssertionError("telnet never printed the expected line; it printed " + seen);
    }
}
