package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT across two real supervisors and a real 3-node NATS cluster, each supervisor on a different NATS server
 * (docs/federation.md), driven with Debian's mosquitto_pub and mosquitto_sub: a PUBLISH on node a reaches the
 * subscribers of node b whose filters match it ({@code +} and {@code #}, a level with a dot), each once.
 */
@Timeout(240)
class FederationMqttIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static NatsCluster nats;
    private static Path sub;
    private static Path pub;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() throws Exception {
        sub = Tools.require("mosquitto_sub", "Debian's mosquitto-clients (scripts/ci-deps installs it)");
        pub = Tools.require("mosquitto_pub", "Debian's mosquitto-clients (scripts/ci-deps installs it)");
        nats = NatsCluster.launch(3);
    }

    @AfterAll
    static void stopCluster() {
        if (nats != null) {
            nats.close();
        }
    }

    private static ForkcastServer node(String name, int natsServer) throws Exception {
        var server = ForkcastServer.start(List.of(
                "--federation-url",
                nats.url(natsServer),
                "--node-name",
                name,
                "--pool-min-spare",
                "1",
                "--mqtt-port",
                "0",
                "--store-url",
                "none")); // a federation refuses the embedded H2 file
        server.awaitLog("event=federation_started node=" + name + " ");
        return server;
    }

    private static List<String> target(ForkcastServer server) {
        return List.of("-h", server.host(), "-p", Integer.toString(server.mqttPort()), "-V", "mqttv5");
    }

    private ChildProcess subscribe(ForkcastServer server, String filter) throws Exception {
        var command = new ArrayList<>(List.of("stdbuf", "-oL", sub.toString(), "-d", "-v", "-q", "1", "-t", filter));
        command.addAll(target(server));
        var child = ChildProcess.start(command, Map.of(), dir);
        try {
            child.awaitOutput("received SUBACK", WAIT);
        } catch (AssertionError | RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    private void publish(ForkcastServer server, String topic, String message) throws Exception {
        var command = new ArrayList<>(List.of(pub.toString(), "-q", "1", "-t", topic, "-m", message));
        command.addAll(target(server));
        try (var child = ChildProcess.start(command, Map.of(), dir)) {
            assertEquals(0, child.awaitExit(WAIT), child.outputText());
        }
    }

    private static long count(ChildProcess child, String line) {
        return child.output().stream().filter(line::equals).count();
    }

    @Test
    void aPublishOnOneNodeReachesTheMatchingSubscribersOfAnotherOnceEach() throws Exception {
        try (var a = node("a", 0);
                var b = node("b", 1);
                var plus = subscribe(b, "sensors/+/temp");
                var hash = subscribe(b, "sensors/#");
                var other = subscribe(b, "other/#")) {
            b.awaitLog("event=federation_mqtt subject=forkcast.mqtt.sensors.\\*.temp interest=on");
            b.awaitLog("event=federation_mqtt subject=forkcast.mqtt.sensors.> interest=on");
            // b's interest crosses the NATS routes a moment after it subscribed: a probe goes again until it came.
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean came = false;
            for (int probe = 0; !came; probe++) {
                assertTrue(System.nanoTime() < deadline, "no probe reached node b: " + hash.outputText());
                publish(a, "sensors/probe", "probe " + probe);
                try {
                    hash.awaitOutput("^sensors/probe probe " + probe + "$", Duration.ofMillis(500));
                    came = true;
                } catch (AssertionError e) {
                    // not yet
                }
            }
            publish(a, "sensors/kitchen/temp", "21.5");
            publish(a, "sensors/k.1/temp", "19");
            publish(a, "sensors/kitchen/hum", "40");
            publish(a, "sensors", "parent");
            publish(a, "sensors/mark", "mark");
            hash.awaitOutput("^sensors/mark mark$", WAIT);
            plus.awaitOutput("^sensors/k.1/temp 19$", WAIT);
            for (var line : List.of(
                    "sensors/kitchen/temp 21.5",
                    "sensors/k.1/temp 19",
                    "sensors/kitchen/hum 40",
                    "sensors parent",
                    "sensors/mark mark")) {
                assertEquals(1, count(hash, line), line + " once: " + hash.outputText());
            }
            assertEquals(1, count(plus, "sensors/kitchen/temp 21.5"), plus.outputText());
            assertEquals(1, count(plus, "sensors/k.1/temp 19"), plus.outputText());
            assertEquals(0, count(plus, "sensors/kitchen/hum 40"), plus.outputText());
            assertEquals(
                    0,
                    other.output().stream().filter(l -> l.startsWith("sensors")).count(),
                    other.outputText());
            try (var admin = AdminClient.connect(RawAdmin.socketOf(b))) {
                var stats = admin.stats();
                assertTrue(stats.get("federation_mqtt_received") >= 5, stats.toString());
                assertTrue(stats.get("federation_mqtt_duplicates") >= 1, "overlapping filters: " + stats);
            }
        }
    }
}
