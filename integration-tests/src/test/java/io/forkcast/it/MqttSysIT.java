package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code $SYS/forkcast/...} topics on the real server, read with Debian's {@code mosquitto_sub}: the STATS
 * figures arrive every mqtt_sys_interval, a later subscriber gets them at once as retained messages, {@code #} alone
 * never matches them, and a client's PUBLISH under {@code $} is refused (5.0: PUBACK 0x87) and reaches nobody.
 */
@Timeout(180)
class MqttSysIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    static Path sub;
    static Path pub;

    @BeforeAll
    static void tools() {
        sub = Tools.require("mosquitto_sub", "Debian's mosquitto-clients (scripts/ci-deps installs it)");
        pub = Tools.require("mosquitto_pub", "Debian's mosquitto-clients (scripts/ci-deps installs it)");
    }

    private static List<String> target(ForkcastServer server, String version) {
        return List.of("-h", server.host(), "-p", Integer.toString(server.mqttPort()), "-V", version);
    }

    /** A mosquitto_sub on {@code topic}, once its SUBACK came (its debug output says so). */
    private ChildProcess subscribe(ForkcastServer server, String version, String topic) throws Exception {
        // Line-buffered: mosquitto_sub's stdio would hold its lines in a pipe until it exits.
        var command = new ArrayList<>(List.of("stdbuf", "-oL", sub.toString(), "-d", "-v", "-t", topic));
        command.addAll(target(server, version));
        var child = ChildProcess.start(command, Map.of(), dir);
        child.awaitOutput("received SUBACK", WAIT);
        return child;
    }

    /** Runs mosquitto_pub at QoS 1 to the end; returns what it printed. */
    private String publish(ForkcastServer server, String version, String topic, String message) throws Exception {
        var command = new ArrayList<>(List.of(pub.toString(), "-d", "-q", "1", "-t", topic, "-m", message));
        command.addAll(target(server, version));
        try (var child = ChildProcess.start(command, Map.of(), dir)) {
            child.awaitExit(WAIT);
            return child.outputText();
        }
    }

    @Test
    void theStatsFiguresArePublishedRetainedUnderSysAndNoClientMayPublishThere() throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0", "--mqtt-sys-interval", "1s");
                var everything = subscribe(server, "mqttv311", "#");
                var sys = subscribe(server, "mqttv5", "$SYS/forkcast/#")) {
            sys.awaitOutput("^\\$SYS/forkcast/clients \\d+$", WAIT);
            sys.awaitOutput("^\\$SYS/forkcast/mqtt/connects \\d+$", WAIT);
            // Refreshed: the count of connections grows to the subscriber that comes next, within an interval.
            try (var later = subscribe(server, "mqttv311", "$SYS/forkcast/mqtt/connected")) {
                // At once, from the retained message (flag r1), before the next interval's publication.
                later.awaitOutput("received PUBLISH \\(d0, q0, r1, m\\d+, '\\$SYS/forkcast/mqtt/connected'", WAIT);
                sys.awaitOutput("^\\$SYS/forkcast/mqtt/connected 3$", WAIT);
            }

            String v5 = publish(server, "mqttv5", "$SYS/forkcast/clients", "666");
            assertTrue(v5.contains("received PUBACK (Mid: 1, RC:135)"), v5);
            String v311 = publish(server, "mqttv311", "$SYS/forkcast/mqtt/connects", "667");
            assertTrue(v311.contains("received PUBACK (Mid: 1"), v311); // 3.1.1 has no reason: a plain PUBACK
            // Both refused: a marker published after them arrives, and neither forged figure did.
            publish(server, "mqttv311", "after/marker", "done");
            everything.awaitOutput("^after/marker done$", WAIT);
            // The marker is the only PUBLISH counted: its figure going out means an interval passed after the refusals.
            sys.awaitOutput("^\\$SYS/forkcast/mqtt/published 1$", WAIT);
            assertTrue(
                    sys.output().stream().noneMatch(l -> l.endsWith(" 666") || l.endsWith(" 667")), sys.outputText());
            assertTrue(everything.output().stream().noneMatch(l -> l.startsWith("$SYS")), everything.outputText());
        }
    }
}
