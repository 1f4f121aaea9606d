package io.forkcast.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process of the federation figures other than forkcast (nats-server, redis-server, a Socket.IO node):
 * started from a command line with its output in a log file, ready once its port accepts connections or once it
 * printed {@code LISTENING PORT}; stopped (SIGTERM, then SIGKILL after 5 s) by {@link #close()}. Thread-safe.
 */
final class Daemon implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Process process;
    private final int port;
    private final Path log;

    private Daemon(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A port of 127.0.0.1 that was free a moment ago, for a program told its port. */
    static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Starts {@code command}, ready once 127.0.0.1:{@code port} accepts a connection. */
    static Daemon listening(List<String> command, int port, Path log) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (process.isAlive() && System.nanoTime() < deadline) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
                return new Daemon(process, port, log);
            } catch (IOException e) {
                Thread.sleep(50); // not listening yet
            }
        }
        process.destroyForcibly();
        throw new IOException(command.getFirst() + " did not listen on " + port + "; log " + log + ":\n" + text(log));
    }

    /** Starts {@code command}, ready once it prints {@code LISTENING PORT} on stdout; stderr goes to the log. */
    static Daemon announcing(List<String> command, Path log) throws IOException {
        var process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("LISTENING ")) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not print LISTENING: " + line + "\n" + text(log));
        }
        return new Daemon(process, Integer.parseInt(line.substring(10).strip()), log);
    }

    private static String text(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
