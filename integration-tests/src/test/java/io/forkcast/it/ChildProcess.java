package io.forkcast.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A helper program a test starts (php -S, chromedriver, admin-web, a client under another uid): its output lines
 * collected from stdout and stderr, and on close the process and everything it started killed.
 */
final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final String name;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new ArrayList<>();

    private ChildProcess(Process process, String name) {
        this.process = process;
        this.name = name;
        pumps.add(pump(process.getInputStream()));
        pumps.add(pump(process.getErrorStream()));
    }

    static ChildProcess start(List<String> command, Map<String, String> environment, Path directory)
            throws IOException {
        return start(command, environment, directory, false);
    }

    /** Like {@link #start(List, Map, Path)}, with stdin a pipe that {@link #send} writes to. */
    static ChildProcess startWithInput(List<String> command, Map<String, String> environment, Path directory)
            throws IOException {
        return start(command, environment, directory, true);
    }

    private static ChildProcess start(
            List<String> command, Map<String, String> environment, Path directory, boolean input) throws IOException {
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        if (!input) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        return new ChildProcess(
                builder.start(), Path.of(command.getFirst()).getFileName().toString());
    }

    /** Writes {@code line} and a newline to the process's stdin (started with {@link #startWithInput}). */
    void send(String line) throws IOException {
        var in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private Thread pump(java.io.InputStream in) {
        return Thread.ofPlatform().daemon().name("it-" + name).start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // Process ended.
            }
        });
    }

    List<String> output() {
        return output;
    }

    String outputText() {
        return name + " output:\n" + String.join("\n", output);
    }

    Process process() {
        return process;
    }

    /** Waits for an output line matching {@code regex}; fails with the output so far if the process ends first. */
    String awaitOutput(String regex, Duration timeout) {
        var pattern = Pattern.compile(regex);
        return Await.until(
                timeout,
                name + " to print a line matching " + regex + "\n%s",
                () -> {
                    var line = output.stream()
                            .filter(pattern.asPredicate())
                            .findFirst()
                            .orElse(null);
                    if (line == null && !process.isAlive()) {
                        throw new AssertionError(name + " exited with " + process.exitValue() + " before printing "
                                + regex + "\n" + outputText());
                    }
                    return line;
                },
                this::outputText);
    }

    /** Waits for the process to exit on its own and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout.toMillis() + " ms\n" + outputText());
        }
        // Everything the process wrote before it exited is read once both pumps reach end of stream.
        for (var pump : pumps) {
            if (!pump.join(Duration.ofSeconds(10))) {
                throw new AssertionError(
                        name + " exited but its output is still open (a child holds it?)\n" + outputText());
            }
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        var tree = new ArrayList<ProcessHandle>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var handle : tree) {
            handle.destroyForcibly();
        }
    }
}
