package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
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
 * MQTT clients on the real server, driven with Debian's own {@code mosquitto_pub} and {@code mosquitto_sub}
 * (MQTT 3.1.1 and 5.0) and real telnet clients: a room is the topic {@code forkcast/rooms/<room>} both ways,
 * QoS 0, 1 and 2 arrive once each, retained messages reach later subscribers and an empty one clears them,
 * wildcards match, a killed client's will is published, and with a users file only known users connect.
 */
@Timeout(240)
class MqttIT {
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

    static List<String> target(ForkcastServer server, String version) {
        return List.of("-h", server.host(), "-p", Integer.toString(server.mqttPort()), "-V", version);
    }

    /** A mosquitto_sub on {@code topic}, once its SUBACK came (its debug output says so). */
    ChildProcess subscribe(ForkcastServer server, String version, String topic, String... more) throws Exception {
        // Line-buffered: mosquitto_sub's stdio would hold its lines in a pipe until it exits.
        var command = new ArrayList<>(List.of("stdbuf", "-oL", sub.toString(), "-d", "-v", "-t", topic));
        command.addAll(target(server, version));
        command.addAll(List.of(more));
        var child = ChildProcess.start(command, Map.of(), dir);
        try {
            child.awaitOutput("received SUBACK", WAIT);
        } catch (AssertionError | RuntimeException e) {
            child.close(); // not handed to the caller's try: stopped here
            throw e;
        }
        return child;
    }

    /** Runs mosquitto_pub to the end ({@code message} null for none); returns its exit code. */
    int publish(ForkcastServer server, String version, String topic, String message, String... more) throws Exception {
        var command = new ArrayList<>(List.of(pub.toString(), "-d", "-t", topic));
        if (message != null) {
            command.addAll(List.of("-m", message)); // null: the caller sends -n, a zero-length message
        }
        command.addAll(target(server, version));
        command.addAll(List.of(more));
        try (var child = ChildProcess.start(command, Map.of(), dir)) {
            int code = child.awaitExit(WAIT);
            if (code != 0) {
                System.err.println(child.outputText());
            }
            return code;
        }
    }

    @Test
    void whatTelnetUsersTypeReachesSubscribersAndAQos2PublishReachesThemExactlyOnce() throws Exception {
        for (String version : List.of("mqttv311", "mqttv5")) {
            try (var server = ForkcastServer.start("--mqtt-port", "0");
                    var person = server.join();
                    var subscriber = subscribe(server, version, "forkcast/rooms/#", "-q", "2")) {
                person.send("hello from telnet");
                subscriber.awaitOutput("^forkcast/rooms/lobby .*hello from telnet$", WAIT);

                assertEquals(0, publish(server, version, "forkcast/rooms/lobby", "hi", "-q", "2", "-i", "sensor-1"));
                assertEquals(0, publish(server, version, "forkcast/rooms/lobby", "marker", "-q", "0"));
                person.expectLine(line -> line.endsWith("): marker"));
                long his = person.seen().stream()
                        .filter(line -> line.matches("\\[sensor-1\\] \\(\\d+\\): hi"))
                        .count();
                assertEquals(1, his, String.join("\n", person.seen()));
                // The MQTT subscriber gets the publishes too, each once.
                subscriber.awaitOutput("^forkcast/rooms/lobby marker$", WAIT);
                assertEquals(
                        1,
                        subscriber.output().stream()
                                .filter(l -> l.equals("forkcast/rooms/lobby hi"))
                                .count(),
                        subscriber.outputText());
            }
        }
    }

    @Test
    void qosLevelsWildcardsAndRetainedMessages() throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0")) {
            // Retained before anyone subscribes: a later subscriber gets it, flagged retained.
            assertEquals(0, publish(server, "mqttv5", "sensors/kitchen/temp", "21.5", "-q", "1", "-r"));
            try (var plus = subscribe(server, "mqttv5", "sensors/+/temp", "-q", "1");
                    var hash = subscribe(server, "mqttv311", "sensors/#", "-q", "2");
                    var other = subscribe(server, "mqttv311", "other/#")) {
                plus.awaitOutput("^sensors/kitchen/temp 21.5$", WAIT);
                hash.awaitOutput("^sensors/kitchen/temp 21.5$", WAIT);
                for (int qos = 0; qos <= 2; qos++) {
                    assertEquals(
                            0,
                            publish(server, "mqttv311", "sensors/hall/temp", "q" + qos, "-q", Integer.toString(qos)));
                }
                assertEquals(0, publish(server, "mqttv5", "sensors/hall/humidity", "40", "-q", "1"));
                hash.awaitOutput("^sensors/hall/humidity 40$", WAIT);
                plus.awaitOutput("^sensors/hall/temp q2$", WAIT);
                for (var child : List.of(plus, hash)) {
                    for (int qos = 0; qos <= 2; qos++) {
                        String line = "sensors/hall/temp q" + qos;
                        assertEquals(
                                1, child.output().stream().filter(line::equals).count(), child.outputText());
                    }
                }
                assertTrue(plus.output().stream().noneMatch(l -> l.contains("humidity")), plus.outputText());
                assertTrue(other.output().stream().noneMatch(l -> l.startsWith("sensors/")), other.outputText());
            }
            // An empty retained message clears it: a new subscriber gets nothing, then the next live one.
            assertEquals(0, publish(server, "mqttv311", "sensors/kitchen/temp", null, "-r", "-n"));
            try (var late = subscribe(server, "mqttv311", "sensors/kitchen/temp")) {
                assertEquals(0, publish(server, "mqttv311", "sensors/kitchen/temp", "22", "-q", "1"));
                late.awaitOutput("^sensors/kitchen/temp 22$", WAIT);
                assertTrue(late.output().stream().noneMatch(l -> l.contains(" 21.5")), late.outputText());
            }
        }
    }

    @Test
    void aKilledClientsWillIsPublishedAndAnOrderlyOnesIsNot() throws Exception {
        try (var server = ForkcastServer.start("--mqtt-port", "0");
                var watcher = subscribe(server, "mqttv311", "status/#", "-q", "1")) {
            var doomed = subscribe(
                    server,
                    "mqttv5",
                    "commands/doomed",
                    "-i",
                    "doomed",
                    "--will-topic",
                    "status/doomed",
                    "--will-payload",
                    "offline",
                    "--will-qos",
                    "1");
            doomed.process().destroyForcibly();
            doomed.awaitExit(WAIT);
            doomed.close();
            watcher.awaitOutput("^status/doomed offline$", WAIT);
            // mosquitto_pub disconnects properly: its will is dropped.
            assertEquals(
                    0,
                    publish(
                            server,
                            "mqttv311",
                            "status/orderly",
                            "online",
                            "--will-topic",
                            "status/orderly",
                            "--will-payload",
                            "gone"));
            assertEquals(0, publish(server, "mqttv311", "status/marker", "end"));
            watcher.awaitOutput("^status/marker end$", WAIT);
            assertTrue(watcher.output().stream().noneMatch(l -> l.endsWith(" gone")), watcher.outputText());
        }
    }

    @Test
    void withAUsersFileOnlyKnownUsersConnectAndAdminListShowsMqttClients() throws Exception {
        var users = dir.resolve("users.htpasswd");
        htpasswd(users, "sensor", "s3cret", "-c");
        try (var server = ForkcastServer.start("--mqtt-port", "0", "--users-file", users.toString())) {
            assertNotEquals(0, publish(server, "mqttv311", "a/b", "anonymous"));
            assertNotEquals(0, publish(server, "mqttv5", "a/b", "wrong", "-u", "sensor", "-P", "nope"));
            try (var subscriber =
                    subscribe(server, "mqttv5", "a/#", "-u", "sensor", "-P", "s3cret", "-i", "watcher", "-q", "1")) {
                assertEquals(0, publish(server, "mqttv311", "a/b", "known", "-u", "sensor", "-P", "s3cret"));
                subscriber.awaitOutput("^a/b known$", WAIT);
                try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                    var lines = admin.command("LIST");
                    assertTrue(
                            lines.stream().anyMatch(l -> l.contains("kind=mqtt client_id=watcher subscriptions=1")),
                            String.join("\n", lines));
                }
            }
        }
    }

    @Test
    void socketActivationPassesTheMqttPortByName() throws Exception {
        int chat = Tools.stablePort();
        int mqtt = Tools.stablePort();
        var command = Tools.socketActivated("chat:mqtt", List.of(chat, mqtt));
        // The first connection (a publish to the MQTT port) starts the server, which serves it.
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> Await.until(
                WAIT,
                "a publish to " + mqtt + "%s",
                () -> {
                    try (var child = ChildProcess.start(
                            List.of(
                                    pub.toString(),
                                    "-h",
                                    "127.0.0.1",
                                    "-p",
                                    Integer.toString(mqtt),
                                    "-t",
                                    "boot",
                                    "-m",
                                    "up",
                                    "-q",
                                    "1"),
                            Map.of(),
                            dir)) {
                        return child.awaitExit(WAIT) == 0 ? Boolean.TRUE : null;
                    } catch (Exception notYet) {
                        return null;
                    }
                },
                () -> ""));
        try (var server = ForkcastServer.start(command, Map.of(), List.of())) {
            assertTrue(first.get(60, java.util.concurrent.TimeUnit.SECONDS), "the publish went through");
            assertEquals(chat, server.port());
            assertEquals(mqtt, server.mqttPort());
            server.awaitLog("event=mqtt_connect ");
        }
    }
}
