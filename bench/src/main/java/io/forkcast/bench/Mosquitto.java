package io.forkcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's mosquitto as the MQTT reference: started from {@code command} (e.g. /usr/sbin/mosquitto) with a config
 * of its own in {@code dir} (a loopback listener on a port found free, anonymous clients, no persistence, 10000
 * messages queued per client as forkcast's broker_pending_max), its output in {@code dir/mosquitto.log}; never the
 * system service nor port 1883. A {@link Daemon}: stopped by its close(), which the load generator's shutdown
 * hook also calls.
 */
final class Mosquitto {
    private Mosquitto() {}

    /** Starts it, trying another free port when the one picked was taken meanwhile (three tries). */
    static Daemon start(List<String> command, Path dir, int maxInflight) throws IOException, InterruptedException {
        Path log = dir.resolve("mosquitto.log");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = Daemon.freePort();
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
            try {
                return Daemon.listening(full, port, log);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }
}
