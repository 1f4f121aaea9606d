package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults of the NATS cluster under a federation of real supervisors (docs/federation.md, "Durability"), each test
 * with its own 3-node cluster: a NATS server killed (SIGKILL) while numbered lines flow both ways between users
 * on two nodes connected to different servers, every line arrives once and in order; the whole cluster killed and
 * started again on its ports and data, chat resumes, lines said meanwhile arrive, and the stream kept what it
 * had; and with NATS down, local chat goes on while the bounded outbox keeps and then drops what the other nodes
 * would get, counted in STATS.
 */
@Timeout(300)
class FederationFaultIT {
    private static final Duration LONG = Duration.ofSeconds(90);

    private NatsCluster nats;

    @BeforeEach
    void cluster() throws Exception {
        nats = NatsCluster.launch(3);
    }

    @AfterEach
    void stopCluster() {
        if (nats != null) {
            nats.close();
        }
    }

    /** A node first connected to NATS server {@code natsServer} (it learns the others from the cluster). */
    private ForkcastServer node(String name, int natsServer, String... more) throws Exception {
        var args = new ArrayList<>(List.of(
                "--federation-url",
                nats.url(natsServer),
                "--node-name",
                name,
                "--federation-node-timeout",
                "60s", // no node is taken for gone while NATS is down in these tests
                "--store-url",
                "none",
                "--flood-lines-per-second",
                "10000",
                "--flood-burst",
                "10000",
                "--pool-min-spare",
                "1"));
        args.addAll(List.of(more));
        var server = ForkcastServer.start(args);
        server.awaitLog("event=federation_started node=" + name + " ");
        server.awaitLog("event=federation_jetstream state=on node=" + name + " ");
        return server;
    }

    private static TelnetClient named(ForkcastServer server, String nick) throws Exception {
        var client = server.join();
        client.expect("*** you are in #lobby");
        client.send("/nick " + nick);
        client.expect("*** you are now known as " + nick);
        return client;
    }

    private static io.forkcast.admin.AdminStats stats(ForkcastServer server) throws Exception {
        try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
            return admin.stats();
        }
    }

    /** Waits until every room event of {@code server} is acknowledged by JetStream. */
    private static void awaitNothingPending(ForkcastServer server) {
        Await.until(LONG, "nothing pending on the node of pid " + server.pid(), () -> {
            try {
                return stats(server).get("federation_pending") == 0;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** The numbers of the lines {@code to} saw from {@code nick} saying {@code word N}, in the order seen. */
    private static List<Integer> numbersSeen(TelnetClient to, String nick, long pid, String word) {
        String prefix = "[" + nick + "] (" + pid + "): " + word + " ";
        var numbers = new ArrayList<Integer>();
        for (var line : to.seen()) {
            if (line.startsWith(prefix)) {
                numbers.add(Integer.parseInt(line.substring(prefix.length())));
            }
        }
        return numbers;
    }

    private static List<Integer> oneTo(int n) {
        var all = new ArrayList<Integer>();
        for (int i = 1; i <= n; i++) {
            all.add(i);
        }
        return all;
    }

    /**
     * {@code from} says {@code count} lines one after the other, each once {@code to} saw the one before: the
     * time from sending each to its arrival, as "p50=.. p99=.. us".
     */
    private static String crossNodeLatency(TelnetClient from, String name, TelnetClient to, int count)
            throws Exception {
        var micros = new long[count];
        String prefix = "[" + name + "] (" + from.pid() + "): latency ";
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            from.send("latency " + i);
            to.expect(prefix + i);
            micros[i] = (System.nanoTime() - sent) / 1000;
        }
        java.util.Arrays.sort(micros);
        return "p50=" + micros[count / 2] + " p99=" + micros[count * 99 / 100] + " us over " + count + " lines";
    }

    @Test
    void withoutJetStreamTheNodesSayItOnceAndChatGoesByCoreNats() throws Exception {
        nats.close();
        nats = NatsCluster.launch(3, false);
        var args = List.of("--store-url", "none", "--flood-lines-per-second", "10000", "--flood-burst", "10000");
        try (var a = plainNode("a", 0, args);
                var b = plainNode("b", 1, args)) {
            for (var node : List.of(a, b)) {
                node.awaitLog("event=federation_jetstream state=off node=\\S+ server=\\S+ reason=\"JetStream is"
                        + " not enabled on the NATS server");
            }
            var alice = a.join();
            alice.expect("*** you are in #lobby");
            var bob = b.join();
            bob.expect("*** you are in #lobby");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") joined");
            System.out.println("FederationFaultIT: core NATS only (no JetStream), a line from node a to a user on"
                    + " node b: " + crossNodeLatency(alice, alice.address(), bob, 200));
            var figures = stats(a);
            assertEquals(0, figures.get("federation_jetstream"), figures.toString());
            assertEquals(0, figures.get("federation_pending"), figures.toString());
            assertTrue(figures.get("federation_lag_ms") >= 0, figures.toString());
            assertEquals(
                    1,
                    a.log().stream()
                            .filter(l -> l.contains("event=federation_jetstream"))
                            .count());
            alice.close();
            bob.close();
        }
    }

    private ForkcastServer plainNode(String name, int natsServer, List<String> more) throws Exception {
        var args = new ArrayList<>(
                List.of("--federation-url", nats.url(natsServer), "--node-name", name, "--pool-min-spare", "1"));
        args.addAll(more);
        var server = ForkcastServer.start(args);
        server.awaitLog("event=federation_started node=" + name + " ");
        return server;
    }

    @Test
    void aNatsServerKilledWhileLinesFlowLosesNoLineAndKeepsTheirOrder() throws Exception {
        try (var a = node("a", 0);
                var b = node("b", 1)) {
            var alice = named(a, "alice");
            var bob = named(b, "bob");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");
            bob.send("ready");
            alice.expect("[bob] (" + bob.pid() + "): ready");
            alice.send("ready");
            bob.expect("[alice] (" + alice.pid() + "): ready");
            System.out.println("FederationFaultIT: JetStream (R3) and core NATS, a line from node b to a user on"
                    + " node a: " + crossNodeLatency(bob, "bob", alice, 200));
            var lag = stats(a);
            System.out.println("FederationFaultIT: federation_lag_ms on a after them: " + lag.get("federation_lag_ms")
                    + ", from the stream: " + lag.get("federation_from_stream") + ", copies dropped: "
                    + lag.get("federation_stream_duplicates"));

            int before = 20;
            int total = 80;
            for (int i = 1; i <= before; i++) {
                alice.send("a " + i);
                bob.send("b " + i);
                bob.expect("[alice] (" + alice.pid() + "): a " + i);
                alice.expect("[bob] (" + bob.pid() + "): b " + i);
            }
            // Node a's server dies while lines are on their way: some are in its socket, some in jnats' buffer.
            alice.send("a " + (before + 1));
            bob.send("b " + (before + 1));
            nats.kill(0);
            for (int i = before + 2; i <= total; i++) {
                alice.send("a " + i);
                bob.send("b " + i);
            }
            a.awaitLog("event=federation_connected node=a server=\\S+ reconnects=1");
            bob.expectLine(("[alice] (" + alice.pid() + "): a " + total)::equals, LONG);
            alice.expectLine(("[bob] (" + bob.pid() + "): b " + total)::equals, LONG);
            // A last line each way: anything sent twice would have come before it.
            alice.send("end");
            bob.expect("[alice] (" + alice.pid() + "): end");
            bob.send("end");
            alice.expect("[bob] (" + bob.pid() + "): end");
            assertEquals(oneTo(total), numbersSeen(bob, "alice", alice.pid(), "a"), bob.recent());
            assertEquals(oneTo(total), numbersSeen(alice, "bob", bob.pid(), "b"), alice.recent());
            var figures = stats(a);
            System.out.println("FederationFaultIT: NATS server 0 killed under node a: " + figures);
            assertEquals(1, figures.get("federation_jetstream"), figures.toString());
            awaitNothingPending(a);
            awaitNothingPending(b);
            alice.close();
            bob.close();
        }
    }

    @Test
    void theWholeClusterRestartedChatResumesLinesSaidMeanwhileArriveAndTheStreamKeptWhatItHad() throws Exception {
        try (var a = node("a", 0);
                var b = node("b", 1)) {
            var alice = named(a, "alice");
            var bob = named(b, "bob");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");
            for (int i = 1; i <= 5; i++) {
                alice.send("before " + i);
                bob.expect("[alice] (" + alice.pid() + "): before " + i);
            }
            awaitNothingPending(a);
            awaitNothingPending(b);
            long kept = nats.streamMessages(0, "FORKCAST_ROOMS");
            assertTrue(kept >= 5 + 4, "5 lines, 2 arrivals, 2 renames at least: " + kept);

            nats.killAll();
            a.awaitLog("event=federation_disconnected node=a");
            for (int i = 1; i <= 5; i++) {
                alice.send("meanwhile " + i);
            }
            Await.until(LONG, "5 events pending on a", () -> {
                try {
                    return stats(a).get("federation_pending") == 5;
                } catch (Exception e) {
                    return false;
                }
            });
            nats.restartAll();
            a.awaitLog("event=federation_connected node=a server=\\S+ reconnects=1", LONG);
            b.awaitLog("event=federation_connected node=b server=\\S+ reconnects=1", LONG);
            bob.expectLine(("[alice] (" + alice.pid() + "): meanwhile 5")::equals, LONG);
            assertEquals(List.of(1, 2, 3, 4, 5), numbersSeen(bob, "alice", alice.pid(), "meanwhile"), bob.recent());
            bob.send("after the restart");
            alice.expectLine(("[bob] (" + bob.pid() + "): after the restart")::equals, LONG);
            awaitNothingPending(a);
            for (int i = 0; i < 3; i++) {
                long now = nats.streamMessages(i, "FORKCAST_ROOMS");
                assertTrue(now >= kept + 5, "server " + i + " holds " + now + ", had " + kept + " before");
            }
            alice.close();
            bob.close();
        }
    }

    @Test
    void withNatsDownLocalChatGoesOnAndTheOutboxKeepsThenDropsCounted() throws Exception {
        try (var a = node("a", 0, "--federation-outbox-max", "5");
                var b = node("b", 1)) {
            var alice = named(a, "alice");
            var carol = named(a, "carol");
            var bob = named(b, "bob");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");
            alice.send("up");
            bob.expect("[alice] (" + alice.pid() + "): up");
            awaitNothingPending(a);

            nats.killAll();
            a.awaitLog("event=federation_disconnected node=a");
            for (int i = 1; i <= 8; i++) {
                alice.send("down " + i);
                carol.expect("[alice] (" + alice.pid() + "): down " + i); // local chat goes on
            }
            var figures = stats(a);
            assertEquals(5, figures.get("federation_pending"), figures.toString());
            assertEquals(3, figures.get("federation_outbox_dropped"), figures.toString());
            a.awaitLog("event=federation_outbox_full node=a pending=5 limit=5 dropped=1 ");
            assertEquals(
                    1,
                    a.log().stream()
                            .filter(l -> l.contains("event=federation_outbox_full"))
                            .count(),
                    "told once");

            nats.restartAll();
            // What the outbox kept reaches the other node, in order; what it dropped does not.
            bob.expectLine(("[alice] (" + alice.pid() + "): down 5")::equals, LONG);
            // The outbox is full until JetStream (electing again after the restart) acknowledges what it kept.
            awaitNothingPending(a);
            long backAt = System.nanoTime();
            alice.send("back");
            bob.expectLine(("[alice] (" + alice.pid() + "): back")::equals, LONG);
            System.out.println("FederationFaultIT: after the cluster's restart a new line crossed in "
                    + (System.nanoTime() - backAt) / 1_000_000 + " ms; node b: " + stats(b));
            assertEquals(List.of(1, 2, 3, 4, 5), numbersSeen(bob, "alice", alice.pid(), "down"), bob.recent());
            alice.close();
            carol.close();
            bob.close();
        }
    }
}
