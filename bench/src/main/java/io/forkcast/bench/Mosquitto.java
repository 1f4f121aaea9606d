package io.forkcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's mosquitto as the MQTT reference: started from {@code command} (e.g. /usr/sbin/mosquitto) with a config
 * of its own in {@code dir} (a loopback listener on a port found free, anonymous clients, no persistence, 10000
 * messages queued per client as forkcast's broker_pending_max), its output in {@code dir/mosquitto.log}; never the
 * system service nor port 1883. Stopped by {@link #close()}, which
 * the load generator's shutdown hook also calls. Thread-safe.
 */
final class Mosquitto implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Process process;
    private final int port;
    private final Path log;

    private Mosquitto(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it, trying another free port when the one picked was taken meanwhile (three tries). */
    static Mosquitto start(List<String> command, Path dir, int maxInflight) throws IOException, InterruptedException {
        Path log = dir.resolve("mosquitto.log");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port;
            try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(
                    conf,
                    "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                            + "log_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\n"
                            // Its default of 1000 drops, silently, what a subscriber lags behind by more (the
                            // sender is not told); forkcast's broker_pending_max (10000) refuses the send instead.
                            + "max_queued_messages 10000\n"
                            + (maxInflight > 0 ? "max_inflight_messages " + maxInflight + "\n" : ""));
            var full = new ArrayList<>(command);
            full.addAll(List.of("-c", conf.toString()));
            var process = new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (process.isAlive() && System.nanoTime() < deadline) {
                try (var socket = new Socket()) {
                    socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
                    return new Mosquitto(process, port, log);
                } catch (IOException e) {
                    Thread.sleep(50); // not listening yet
                }
            }
            process.destroyForcibly();
            last = new IOException("mosquitto did not listen on " + port + "; log " + log + ":\n"
                    + (Files.exists(log) ? Files.readString(log) : ""));
        }
        throw last;
    }

    int port() {
        return port;
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
