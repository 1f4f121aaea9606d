package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.BrokerClient;
import io.forkcast.admin.BrokerClient.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker across the supervisor's restarts: a receiver holding unacknowledged messages when the supervisor is
 * killed gets them again from the next one (its worker stayed and says its role again); a planned restart
 * (SIGUSR2) hands the broker port and its clients to the successor; socket activation passes the broker port as
 * the socket named {@code broker}.
 */
@Timeout(240)
class BrokerRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    Path users;

    @BeforeEach
    void users() throws Exception {
        users = dir.resolve("users.htpasswd");
        htpasswd(users, "manager", "Albasiko2020^", "-c");
    }

    private static BrokerClient login(String host, int port, Role role, String channel) throws Exception {
        var client = BrokerClient.connect(host, port, WAIT);
        client.login("manager", "Albasiko2020^", role, channel);
        return client;
    }

    @Test
    void aReceiversUnacknowledgedMessagesComeAgainAfterAKillOfTheSupervisor() throws Exception {
        var first = ForkcastServer.start("--broker-port", "0", "--users-file", users.toString());
        try (var receiver = login(first.host(), first.brokerPort(), Role.RECEIVER, "otp")) {
            var ids = new ArrayList<Long>();
            try (var sender = login(first.host(), first.brokerPort(), Role.SENDER, null)) {
                for (int i = 0; i < 4; i++) {
                    ids.add(sender.send("otp", "{\"n\":" + i + "}").id());
                }
            }
            var held = new ArrayList<Long>();
            while (held.size() < ids.size()) {
                held.addAll(receiver.receive(WAIT).ids()); // not acknowledged
            }
            assertEquals(ids, held);
            first.track(first.workerPids());
            ForkcastServer.kill(first.pid(), "KILL");
            first.process().waitFor();
            try (var second = ForkcastServer.startAfter(
                    first, "--broker-port", Integer.toString(first.brokerPort()), "--users-file", users.toString())) {
                var again = new LinkedHashSet<Long>();
                while (again.size() < ids.size()) {
                    var batch = receiver.receive(WAIT);
                    again.addAll(batch.ids());
                    receiver.ack(batch.ids());
                }
                assertEquals(ids, List.copyOf(again), "every message the receiver never acknowledged, again");
                second.awaitLog("event=broker_attach user=manager .* role=receiver channel=otp");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aPlannedRestartHandsTheBrokerPortAndItsClientsToTheSuccessor() throws Exception {
        var first = ForkcastServer.start("--broker-port", "0", "--users-file", users.toString());
        long successor = -1;
        try (var receiver = login(first.host(), first.brokerPort(), Role.RECEIVER, "sms");
                var sender = login(first.host(), first.brokerPort(), Role.SENDER, "sms")) {
            var before = sender.send(null, "\"before\"");
            assertEquals(1, before.receivers());
            receiver.ack(receiver.receive(WAIT).ids());
            first.track(first.workerPids());
            String output = first.plannedRestart();
            assertTrue(first.process().waitFor(60, TimeUnit.SECONDS), "the old supervisor did not exit: " + output);
            String handed = first.awaitLog("event=handover_done");
            var m = java.util.regex.Pattern.compile("successor=(\\d+)").matcher(handed);
            assertTrue(m.find(), handed);
            successor = Long.parseLong(m.group(1));

            // The same clients, on the new supervisor: the receiver's role was said again by its worker.
            var after = sender.send(null, "\"after\"");
            var batch = receiver.receive(WAIT);
            assertEquals(List.of(after.id()), batch.ids());
            assertEquals(List.of("\"after\""), batch.data());
            receiver.ack(batch.ids());
            // And the port itself: a new connection is served by the successor.
            try (var late = login(first.host(), first.brokerPort(), Role.SENDER, "sms")) {
                assertEquals(1, late.send(null, "\"late\"").receivers());
            }
            assertEquals(List.of("\"late\""), receiver.receive(WAIT).data());
        } finally {
            first.close();
            if (successor > 0) {
                ProcessHandle.of(successor).ifPresent(h -> {
                    h.descendants().forEach(ProcessHandle::destroyForcibly);
                    h.destroyForcibly();
                });
            }
        }
    }

    @Test
    void socketActivationPassesTheBrokerPortByName() throws Exception {
        int chat = Tools.stablePort();
        int broker = Tools.stablePort();
        var command = Tools.socketActivated("chat:broker", List.of(chat, broker));
        // The first connection (to the broker port) starts the server, which serves it.
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> Await.until(
                Duration.ofSeconds(30),
                "a listener on " + broker + "%s",
                () -> {
                    try {
                        return BrokerClient.connect("127.0.0.1", broker, WAIT);
                    } catch (IOException notYet) {
                        return null;
                    }
                },
                () -> ""));
        try (var server = ForkcastServer.start(command, Map.of(), List.of("--users-file", users.toString()));
                var client = first.get(60, TimeUnit.SECONDS)) {
            assertEquals(chat, server.port());
            assertEquals(broker, server.brokerPort());
            server.awaitLog("event=ready listen=127.0.0.1:" + chat + " activation=socket broker=127.0.0.1:" + broker);
            client.login("manager", "Albasiko2020^", Role.SENDER, null);
            assertEquals(0, client.send("sms", "1").receivers());
            try (var person = server.join()) {
                assertTrue(person.address().startsWith("127.0.0.1:"));
            }
        }
    }
}
