package io.forkcast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server under test: {@code scripts/forkcast run ... --port 0 --runtime-dir DIR} started as a child of the
 * load generator, its stderr copied to a log file and counted by event, and on {@link #close()} stopped with
 * SIGTERM and then, whatever is left of its process tree (workers included), SIGKILL. Thread-safe.
 */
final class Server implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 180; // a first start may build the worker's AOT cache
    private static final long STOP_GRACE_SECONDS = 8;
    /** How long close() waits for the server's processes to be gone once killed. */
    private static final int EXIT_WAIT_SECONDS = 60;

    private final Process process;
    private final String host;
    private final int port;
    /** The broker port from the server's {@code BROKER host:port} line; -1 when it printed none. */
    private final int brokerPort;
    /** The WebSocket port from the server's {@code WEBSOCKET host:port} line; -1 when it printed none. */
    private final int wsPort;
    /** The MQTT port from the server's {@code MQTT host:port} line; -1 when it printed none. */
    private final int mqttPort;
    /** The worker pid of each client by its peer (host:port), from the {@code event=join} log lines. */
    private final ConcurrentHashMap<String, Long> joined;

    private final Path log;
    private final ConcurrentHashMap<String, AtomicLong> events;
    private final ArrayDeque<String> tail;
    private double readyMillis;
    /** Every pid seen in the tree, so that close() can kill workers even after the supervisor is gone. */
    private final Set<Long> seen = ConcurrentHashMap.newKeySet();

    private Server(
            Process process,
            String hostPort,
            String brokerHostPort,
            String wsHostPort,
            String mqttHostPort,
            Path log,
            ConcurrentHashMap<String, AtomicLong> events,
            ConcurrentHashMap<String, Long> joined,
            ArrayDeque<String> tail) {
        this.process = process;
        int colon = hostPort.lastIndexOf(':');
        this.host = hostPort.substring(0, colon);
        this.port = Integer.parseInt(hostPort.substring(colon + 1));
        this.brokerPort = brokerHostPort == null
                ? -1
                : Integer.parseInt(brokerHostPort.substring(brokerHostPort.lastIndexOf(':') + 1));
        this.wsPort = wsHostPort == null ? -1 : Integer.parseInt(wsHostPort.substring(wsHostPort.lastIndexOf(':') + 1));
        this.mqttPort =
                mqttHostPort == null ? -1 : Integer.parseInt(mqttHostPort.substring(mqttHostPort.lastIndexOf(':') + 1));
        this.joined = joined;
        this.log = log;
        this.events = events;
        this.tail = tail;
        seen.add(process.pid());
    }

    /** Starts {@code command} (scripts/forkcast run and its flags) with a runtime directory under {@code dir}. */
    static Server start(List<String> command, Path dir) throws IOException {
        var full = new ArrayList<>(command);
        if (!command.contains("--mqtt-port")) {
            full.addAll(List.of("--mqtt-port", "0")); // not mqtt_port's 1883, which another broker may hold
        }
        full.addAll(List.of(
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--runtime-dir",
                dir.resolve("run").toString()));
        var builder = new ProcessBuilder(full);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long started = System.nanoTime();
        var process = builder.start();
        Path logFile = dir.resolve("server.log");
        var events = new ConcurrentHashMap<String, AtomicLong>();
        var joined = new ConcurrentHashMap<String, Long>();
        var tail = new ArrayDeque<String>();
        var ready = new CompletableFuture<String>();
        var broker = new java.util.concurrent.atomic.AtomicReference<String>();
        var webSocket = new java.util.concurrent.atomic.AtomicReference<String>();
        var mqtt = new java.util.concurrent.atomic.AtomicReference<String>();
        Thread.ofPlatform()
                .daemon()
                .name("server-stderr")
                .start(() -> pumpStderr(process, logFile, events, joined, tail));
        Thread.ofPlatform().daemon().name("server-stdout").start(() -> {
            try (var out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("BROKER ")) {
                        broker.set(line.substring(7).strip()); // printed before READY
                    } else if (line.startsWith("WEBSOCKET ")) {
                        webSocket.set(line.substring(10).strip()); // printed before READY
                    } else if (line.startsWith("MQTT ")) {
                        mqtt.set(line.substring(5).strip()); // printed before READY
                    } else if (line.startsWith("READY ")) {
                        ready.complete(line.substring(6).strip());
                    }
                }
            } catch (IOException ignored) {
                // The server ended.
            }
            ready.complete(null);
        });
        String hostPort;
        try {
            hostPort = ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            hostPort = null;
        }
        if (hostPort == null) {
            process.destroyForcibly();
            throw new IOException("server did not print READY within " + START_TIMEOUT_SECONDS + " s; log " + logFile
                    + ":\n" + String.join("\n", snapshot(tail)));
        }
        var server =
                new Server(process, hostPort, broker.get(), webSocket.get(), mqtt.get(), logFile, events, joined, tail);
        server.readyMillis = (System.nanoTime() - started) / 1e6;
        return server;
    }

    /** Milliseconds from starting the command to its READY line: the launcher, the JVM and the supervisor's start. */
    double readyMillis() {
        return readyMillis;
    }

    private static void pumpStderr(
            Process process,
            Path logFile,
            ConcurrentHashMap<String, AtomicLong> events,
            ConcurrentHashMap<String, Long> joined,
            ArrayDeque<String> tail) {
        try (var in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
                var out = new PrintWriter(Files.newBufferedWriter(logFile))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                int at = line.indexOf("event=");
                if (at >= 0) {
                    int end = line.indexOf(' ', at);
                    String event = line.substring(at + 6, end < 0 ? line.length() : end);
                    events.computeIfAbsent(event, k -> new AtomicLong()).incrementAndGet();
                    if (event.equals("join")) {
                        String pid = field(line.substring(at), "pid"); // the worker's, not the supervisor's before it
                        String peer = field(line.substring(at), "peer");
                        if (pid != null && peer != null) {
                            joined.put(peer, Long.parseLong(pid));
                        }
                    }
                    // The supervisor's exit line has the child's code= or signal=; a worker's own has neither.
                    if (event.equals("exit") && line.contains("role=supervisor") && !line.contains(" code=0")) {
                        events.computeIfAbsent("exit_abnormal", k -> new AtomicLong())
                                .incrementAndGet();
                    }
                }
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 40) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException ignored) {
            // The server ended.
        }
    }

    /** The value of {@code key=VALUE} in a log line, or null. */
    private static String field(String line, String key) {
        int at = line.indexOf(" " + key + "=");
        if (at < 0) {
            return null;
        }
        int from = at + key.length() + 2;
        int end = line.indexOf(' ', from);
        return line.substring(from, end < 0 ? line.length() : end);
    }

    private static List<String> snapshot(ArrayDeque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    int wsPort() {
        return wsPort;
    }

    int brokerPort() {
        return brokerPort;
    }

    int mqttPort() {
        return mqttPort;
    }

    /** The pid of the worker serving the client at {@code peer} (host:port) once it joined, or -1. */
    long workerOf(String peer) {
        return joined.getOrDefault(peer, -1L);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** How many log lines had {@code event=NAME}. */
    long events(String name) {
        var counter = events.get(name);
        return counter == null ? 0 : counter.get();
    }

    /** The last lines of the server's log, for error messages. */
    String tail() {
        return String.join("\n", snapshot(tail));
    }

    /** Live children of the supervisor (workers, spare or serving); remembered for the final kill. */
    List<Long> workers() {
        var pids = Proc.children(process.pid());
        seen.addAll(pids);
        return pids;
    }

    /** Waits until the supervisor has at most {@code count} live children; false on timeout. */
    boolean awaitWorkersAtMost(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (workers().size() <= count) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        var tree = new LinkedHashSet<Long>(seen);
        ProcessHandle.of(process.pid()).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the supervisor tells every worker, then kills what is left
            try {
                process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        var killed = new java.util.ArrayList<ProcessHandle>();
        for (long pid : tree) {
            // Only processes still running the server's command line: a pid reused meanwhile is left alone.
            ProcessHandle.of(pid)
                    .filter(h -> h.info()
                            .commandLine()
                            .map(c -> c.contains(runtimeDirMarker()))
                            .orElse(false))
                    .ifPresent(h -> {
                        h.destroyForcibly();
                        killed.add(h);
                    });
        }
        process.destroyForcibly();
        // The next run starts on a machine this server has left: a thousand workers still exiting would be
        // measured with it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_SECONDS);
        for (var h : killed) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                System.err.println("bench: the server's processes did not all exit within " + EXIT_WAIT_SECONDS + " s");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String runtimeDirMarker() {
        return log.getParent().toString();
    }
}
