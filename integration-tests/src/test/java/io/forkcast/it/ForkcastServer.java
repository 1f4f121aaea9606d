package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real forkcast supervisor started through {@code scripts/forkcast run} on a free port and a private runtime
 * directory. Collects its stderr (so tests can wait for log events), and on close stops it and kills anything
 * of its process tree that is left, workers included.
 */
public final class ForkcastServer implements AutoCloseable {
    public static final Path HOME =
            Path.of(System.getProperty("forkcast.home", "..")).toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final List<String> SYSTEMD_VARIABLES = List.of(
            "NOTIFY_SOCKET",
            "WATCHDOG_USEC",
            "WATCHDOG_PID",
            "LISTEN_FDS",
            "LISTEN_PID",
            "LISTEN_FDNAMES",
            "JOURNAL_STREAM",
            "INVOCATION_ID");

    private final Process process;
    private final Path runtimeDir;
    private final List<String> stderr;
    private final List<Long> knownWorkers = new CopyOnWriteArrayList<>();
    private final String host;
    private final int port;
    /** The broker port the server printed ({@code BROKER host:port}), or -1 when it has none. */
    private volatile int brokerPort = -1;
    /** The WebSocket port the server printed ({@code WEBSOCKET host:port}), or -1 when it has none. */
    private volatile int wsPort = -1;
    /** The MQTT port the server printed ({@code MQTT host:port}), or -1 when it has none. */
    private volatile int mqttPort = -1;

    private ForkcastServer(Process process, Path runtimeDir, List<String> stderr, String host, int port) {
        this.process = process;
        this.stderr = stderr;
        this.runtimeDir = runtimeDir;
        this.host = host;
        this.port = port;
    }

    public static ForkcastServer start(String... extraArgs) throws IOException {
        return start(List.of(extraArgs));
    }

    public static ForkcastServer start(List<String> extraArgs) throws IOException {
        return start(List.of(HOME.resolve("scripts/forkcast").toString(), "run"), java.util.Map.of(), extraArgs);
    }

    /**
     * Starts {@code launcher} (a command line that ends in {@code run}: another launcher, or scripts/forkcast
     * behind a wrapper such as systemd-socket-activate) with {@code environment} added to the test's own.
     */
    public static ForkcastServer start(
            List<String> launcher, java.util.Map<String, String> environment, List<String> extraArgs)
            throws IOException {
        // Unix socket paths are limited to 108 bytes: keep the runtime directory short.
        Path tempDir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
        var args = new ArrayList<String>(List.of("--port", "0"));
        if (!namesFlag(extraArgs, "--ws-port")) {
            // ws_port's default is 8080: tests run side by side, so each takes a free port unless it names one.
            args.addAll(List.of("--ws-port", "0"));
        }
        if (!namesFlag(extraArgs, "--mqtt-port")) {
            args.addAll(List.of("--mqtt-port", "0")); // likewise mqtt_port's 1883
        }
        args.addAll(extraArgs);
        return launch(launcher, environment, tempDir, args);
    }

    /** A new supervisor on the same runtime directory and port as {@code old} (which is dead or stopping). */
    public static ForkcastServer startAfter(ForkcastServer old, String... extraArgs) throws IOException {
        var args = new ArrayList<String>(List.of("--port", Integer.toString(old.port())));
        if (!namesFlag(List.of(extraArgs), "--ws-port")) {
            args.addAll(List.of("--ws-port", old.wsPort() >= 0 ? Integer.toString(old.wsPort()) : "off"));
        }
        if (!namesFlag(List.of(extraArgs), "--mqtt-port")) {
            args.addAll(List.of("--mqtt-port", old.mqttPort() >= 0 ? Integer.toString(old.mqttPort()) : "off"));
        }
        args.addAll(List.of(extraArgs));
        return launch(
                List.of(HOME.resolve("scripts/forkcast").toString(), "run"),
                java.util.Map.of(),
                old.runtimeDir.getParent(),
                args);
    }

    /** True when {@code args} set {@code flag} ({@code --flag value} or {@code --flag=value}). */
    private static boolean namesFlag(List<String> args, String flag) {
        return args.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
    }

    private static ForkcastServer launch(
            List<String> launcher, java.util.Map<String, String> environment, Path tempDir, List<String> args)
            throws IOException {
        Path runtimeDir = tempDir;
        var command = new ArrayList<String>(launcher);
        command.add("--runtime-dir");
        command.add(runtimeDir.resolve("run").toString());
        if (!args.contains("--state-dir")) {
            // Each test's store (the embedded H2 file) in its own directory, kept across a restart like the runtime
            // dir.
            command.add("--state-dir");
            command.add(runtimeDir.resolve("state").toString());
        }
        command.addAll(args);
        var builder = new ProcessBuilder(command);
        builder.environment().put("FORKCAST_NO_BUILD", "1");
        // Tests start from an environment free of systemd's variables, whatever runs the build.
        builder.environment().keySet().removeAll(SYSTEMD_VARIABLES);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        var stderrLines = new CopyOnWriteArrayList<String>();
        var stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        pump(process.getErrorStream(), stderrLines, "stderr");
        var ready = new java.util.concurrent.CompletableFuture<String>();
        var broker = new int[] {-1};
        var webSocket = new int[] {-1};
        var mqtt = new int[] {-1};
        Thread.ofPlatform().daemon().name("it-stdout").start(() -> {
            try {
                String line;
                while ((line = stdout.readLine()) != null) {
                    if (line.startsWith("BROKER ")) {
                        broker[0] = Integer.parseInt(
                                line.substring(line.lastIndexOf(':') + 1).strip());
                    }
                    if (line.startsWith("WEBSOCKET ")) {
                        webSocket[0] = Integer.parseInt(
                                line.substring(line.lastIndexOf(':') + 1).strip());
                    }
                    if (line.startsWith("MQTT ")) {
                        mqtt[0] = Integer.parseInt(
                                line.substring(line.lastIndexOf(':') + 1).strip());
                    }
                    if (line.startsWith("READY ")) {
                        ready.complete(line);
                    }
                }
            } catch (IOException ignored) {
                // Process ended.
            }
            ready.complete(null);
        });
        String readyLine;
        try {
            readyLine = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            readyLine = null;
        }
        if (readyLine == null) {
            process.destroyForcibly();
            fail("server did not print READY; stderr:\n" + String.join("\n", stderrLines));
        }
        String hostPort = readyLine.substring("READY ".length()).strip();
        int colon = hostPort.lastIndexOf(':');
        var server = new ForkcastServer(
                process,
                runtimeDir.resolve("run"),
                stderrLines,
                hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)));
        server.brokerPort = broker[0]; // printed before READY, by the same thread
        server.wsPort = webSocket[0];
        server.mqttPort = mqtt[0];
        return server;
    }

    /** {@code scripts/forkcast restart} (SIGUSR2, a planned restart) on this server's runtime directory; its output. */
    public String plannedRestart() {
        try {
            var restart = new ProcessBuilder(
                            HOME.resolve("scripts/forkcast").toString(),
                            "restart",
                            "--runtime-dir",
                            runtimeDir.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            restart.waitFor();
            return "exit=" + restart.exitValue() + " " + output;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** Kills these processes too at {@link #close}: workers that outlive this supervisor (after a kill -9). */
    public void track(List<Long> pids) {
        knownWorkers.addAll(pids);
    }

    /** The broker port ({@code --broker-port}), or -1 when the server has none. */
    public int brokerPort() {
        return brokerPort;
    }

    /** The WebSocket port ({@code --ws-port}; 0, a free one, unless the test named one), or -1 when it has none. */
    public int wsPort() {
        return wsPort;
    }

    /** The MQTT port ({@code --mqtt-port}; 0, a free one, unless the test named one), or -1 when it has none. */
    public int mqttPort() {
        return mqttPort;
    }

    private static void pump(java.io.InputStream in, List<String> sink, String name) {
        Thread.ofPlatform().daemon().name("it-" + name).start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.add(line);
                }
            } catch (IOException ignored) {
                // Process ended.
            }
        });
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path runtimeDir() {
        return runtimeDir;
    }

    public List<String> log() {
        return stderr;
    }

    public String logText() {
        return String.join("\n", log());
    }

    public TelnetClient connect() throws IOException {
        return new TelnetClient(host, port);
    }

    /** Connects and waits for the banner; records the worker's pid for cleanup. */
    public TelnetClient join() throws IOException {
        var client = connect();
        String banner = client.expectLine(line -> line.startsWith("Welcome to forkcast"));
        Matcher m = Pattern.compile("you are (\\S+) \\(pid (\\d+)\\)").matcher(banner);
        assertTrue(m.find(), "banner: " + banner);
        client.identify(m.group(1), Long.parseLong(m.group(2)));
        knownWorkers.add(client.pid());
        return client;
    }

    /** Waits until a log line matches {@code pattern} and returns it. */
    public String awaitLog(String regex) {
        return awaitLog(regex, Duration.ofSeconds(30));
    }

    public String awaitLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        return Await.until(
                timeout,
                "log line matching " + regex + "\n--- log ---\n" + "%s",
                () -> log().stream().filter(pattern.asPredicate()).findFirst().orElse(null),
                this::logText);
    }

    public long countLog(String regex) {
        Predicate<String> p = Pattern.compile(regex).asPredicate();
        return log().stream().filter(p).count();
    }

    /** Pids of live java processes whose parent is this supervisor. */
    public List<Long> workerPids() {
        return ProcessHandle.of(process.pid())
                .map(h -> h.children().map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    public static void kill(long pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
    }

    public static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void close() {
        var tree = new ArrayList<ProcessHandle>();
        ProcessHandle.of(process.pid()).ifPresent(h -> {
            tree.add(h);
            h.descendants().forEach(tree::add);
        });
        for (long pid : knownWorkers) {
            ProcessHandle.of(pid).ifPresent(tree::add);
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(6, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (var h : tree) {
            h.destroyForcibly();
        }
        if (!Files.exists(runtimeDir.getParent())) {
            return;
        }
        try (Stream<Path> files = Files.walk(runtimeDir.getParent())) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temp directory; best effort.
        }
    }
}
