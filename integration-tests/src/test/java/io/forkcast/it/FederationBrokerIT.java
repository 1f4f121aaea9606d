package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import io.forkcast.admin.BrokerClient;
import io.forkcast.admin.BrokerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seed 000's broker across three real supervisors and a real 3-node NATS cluster, each supervisor on a different
 * NATS server (docs/federation.md): a sender on node a, receivers on nodes b and c; a fan-out channel's every message
 * reaches each receiver once, and a limit-1 channel's each message reaches exactly one of them, none lost.
 */
@Timeout(240)
class FederationBrokerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a receiver is watched for a message that must not come. */
    private static final Duration NOTHING_MORE = Duration.ofMillis(700);

    private static NatsCluster nats;
    private static Path dir;
    private static ForkcastServer a;
    private static ForkcastServer b;
    private static ForkcastServer c;

    @BeforeAll
    static void federation() throws Exception {
        nats = NatsCluster.launch(3);
        dir = Files.createTempDirectory("fc-fedbroker");
        var users = dir.resolve("users.htpasswd");
        htpasswd(users, "manager", "Albasiko2020^", "-c");
        a = node("a", 0, users);
        b = node("b", 1, users);
        c = node("c", 2, users);
    }

    @AfterAll
    static void stop() throws Exception {
        for (var server : new ForkcastServer[] {a, b, c}) {
            if (server != null) {
                server.close();
            }
        }
        if (nats != null) {
            nats.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ForkcastServer node(String name, int natsServer, Path users) throws Exception {
        var server = ForkcastServer.start(List.of(
                "--federation-url",
                nats.url(natsServer),
                "--node-name",
                name,
                "--pool-min-spare",
                "1",
                "--broker-port",
                "0",
                "--users-file",
                users.toString(),
                "--clients-per-address-max",
                "0",
                "--store-url",
                "none",
                "--channels",
                "jobs receivers=1"));
        server.awaitLog("event=federation_started node=" + name + " ");
        return server;
    }

    /** Nothing more comes to {@code receiver}. */
    private static void nothingMore(BrokerClient receiver) {
        assertThrows(BrokerException.Timeout.class, () -> receiver.receive(NOTHING_MORE));
    }

    @Test
    void aSendersMessagesReachTheReceiversOnTwoOtherNodesExactlyOnceEach() throws Exception {
        try (var onB = BrokerIT.receiver(b, "feed");
                var onC = BrokerIT.receiver(c, "feed");
                var sender = BrokerIT.sender(a)) {
            b.awaitLog("event=federation_channel channel=feed interest=on");
            c.awaitLog("event=federation_channel channel=feed interest=on");
            // A node's interest crosses the NATS routes a moment after it subscribed: a probe goes again until
            // both receivers have had one, then what they were given so far is set aside.
            var probed = new HashSet<String>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            int probes = 0;
            while (probed.size() < 2) {
                assertTrue(System.nanoTime() < deadline, "probes did not reach both nodes: " + probed);
                sender.send("feed", "{\"probe\":" + probes++ + "}");
                for (var each : List.of(onB, onC)) {
                    try {
                        var batch = each.receive(Duration.ofMillis(200));
                        each.ack(batch.ids());
                        probed.add(each == onB ? "b" : "c");
                    } catch (BrokerException.Timeout e) {
                        // not yet
                    }
                }
            }
            int count = 50;
            var sent = new ArrayList<String>();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                String data = "{\"n\":" + i + ",\"text\":\"kode \\\"" + i + "\\\"\"}";
                sender.send("feed", data);
                sent.add(data);
            }
            sender.send("feed", "\"mark\"");
            for (var each : List.of(onB, onC)) {
                var got = new ArrayList<String>();
                while (!got.contains("\"mark\"")) {
                    var batch = each.receive(WAIT);
                    got.addAll(batch.data());
                    each.ack(batch.ids());
                }
                got.removeIf(d -> d.startsWith("{\"probe\":"));
                var expected = new ArrayList<>(sent);
                expected.add("\"mark\"");
                assertEquals(expected, got, "every message once, in order, exactly as sent");
                nothingMore(each);
            }
            System.out.println("FederationBrokerIT: " + count + " messages from node a reached a receiver on b and one"
                    + " on c in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            try (var admin = AdminClient.connect(RawAdmin.socketOf(a))) {
                var stats = admin.stats();
                assertTrue(stats.get("federation_broker_published") >= count + 1, stats.toString());
                assertEquals(0, stats.get("federation_broker_bad"), stats.toString());
            }
            try (var admin = AdminClient.connect(RawAdmin.socketOf(b))) {
                var stats = admin.stats();
                assertEquals(0, stats.get("federation_broker_duplicates"), stats.toString());
            }
        }
        b.awaitLog("event=federation_channel channel=feed interest=off");
    }

    @Test
    void aLimitOfOneGivesEachMessageToExactlyOneReceiverOnTheOtherNodesAndLosesNone() throws Exception {
        try (var onB = BrokerIT.receiver(b, "jobs");
                var onC = BrokerIT.receiver(c, "jobs");
                var sender = BrokerIT.sender(a)) {
            b.awaitLog("event=federation_channel channel=jobs interest=on");
            c.awaitLog("event=federation_channel channel=jobs interest=on");
            // Until both nodes are members of the queue group as server a sees it, probes go again.
            var probed = new HashSet<String>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            int probes = 0;
            while (probed.size() < 2) {
                assertTrue(System.nanoTime() < deadline, "probes did not reach both nodes: " + probed);
                var answer = sender.send("jobs", "{\"probe\":" + probes++ + "}");
                if (answer.receivers() == 0) {
                    continue; // no member known to server a yet
                }
                assertEquals(1, answer.receivers(), answer.toString());
                for (var each : List.of(onB, onC)) {
                    try {
                        var batch = each.receive(Duration.ofMillis(200));
                        each.ack(batch.ids());
                        probed.add(each == onB ? "b" : "c");
                    } catch (BrokerException.Timeout e) {
                        // the other one had it
                    }
                }
            }
            int count = 60;
            for (int i = 0; i < count; i++) {
                var answer = sender.send("jobs", "{\"job\":" + i + "}");
                assertEquals(1, answer.receivers(), "taken by a node: " + answer);
            }
            var seen = new ArrayList<String>();
            var fromB = new ArrayList<String>();
            var fromC = new ArrayList<String>();
            long deadline2 = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < count) {
                assertTrue(System.nanoTime() < deadline2, "lost: only " + seen.size() + " of " + count);
                for (var each : List.of(onB, onC)) {
                    try {
                        var batch = each.receive(Duration.ofMillis(200));
                        each.ack(batch.ids());
                        var data = batch.data().stream()
                                .filter(d -> !d.startsWith("{\"probe\":"))
                                .toList();
                        seen.addAll(data);
                        (each == onB ? fromB : fromC).addAll(data);
                    } catch (BrokerException.Timeout e) {
                        // the other one's turn
                    }
                }
            }
            nothingMore(onB);
            nothingMore(onC);
            Set<String> distinct = new HashSet<>(seen);
            assertEquals(count, seen.size(), "no message twice: " + seen);
            assertEquals(count, distinct.size());
            for (int i = 0; i < count; i++) {
                assertTrue(distinct.contains("{\"job\":" + i + "}"), "job " + i + " lost");
            }
            System.out.println("FederationBrokerIT: limit 1, " + count + " messages from node a: " + fromB.size()
                    + " to the receiver on b, " + fromC.size() + " to the one on c, none twice");
        }
    }
}
