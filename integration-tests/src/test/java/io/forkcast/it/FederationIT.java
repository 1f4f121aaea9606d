package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several supervisors sharing rooms through a real 3-node NATS cluster the test starts (docs/federation.md), each
 * supervisor on a different NATS server, all on loopback addresses: telnet users on different nodes chat in one
 * room, a room change moves the node's subscription, a node killed with SIGKILL has its people shown as left, and
 * a second node with a name in use refuses to start.
 */
@Timeout(240)
class FederationIT {
    /** Short, so that a dead node is noticed quickly; heartbeats go every third of it. */
    private static final String NODE_TIMEOUT = "3s";

    private static NatsCluster nats;

    @BeforeAll
    static void cluster() throws Exception {
        nats = NatsCluster.launch(3);
    }

    @AfterAll
    static void stopCluster() {
        if (nats != null) {
            nats.close();
        }
    }

    /** A node connected to NATS server {@code natsServer} alone: lines between nodes cross the cluster's routes. */
    private static ForkcastServer node(String name, int natsServer, String... more) throws Exception {
        return node(name, nats.url(natsServer), more);
    }

    private static ForkcastServer node(String name, String urls, String... more) throws Exception {
        return FederationNodes.start(name, urls, NODE_TIMEOUT, more);
    }

    private static String joined(TelnetClient who) {
        return "*** " + who.address() + " (" + who.pid() + ") joined";
    }

    private static TelnetClient named(ForkcastServer server, String nick) throws Exception {
        return FederationNodes.named(server, nick);
    }

    @Test
    void usersOnThreeNodesChatInOneRoomBothWaysAndSeeEachLineOnce() throws Exception {
        try (var a = node("a", 0);
                var b = node("b", 1);
                var c = node("c", 2)) {
            var alice = a.join();
            alice.expect("*** you are in #lobby");
            var bob = b.join();
            bob.expect("*** you are in #lobby");
            // Alice seeing Bob arrive proves b -> a; by then server a knows of b's interest in #lobby too.
            alice.expect(joined(bob));
            var carol = c.join();
            carol.expect("*** you are in #lobby");
            alice.expect(joined(carol));
            bob.expect(joined(carol));
            bob.send("/nick bob");
            bob.expect("*** you are now known as bob");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");
            carol.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");

            long sentAt = System.nanoTime();
            bob.send("hi from b");
            alice.expect("[bob] (" + bob.pid() + "): hi from b");
            System.out.println("FederationIT: a line from node b reached a telnet user on node a in "
                    + (System.nanoTime() - sentAt) / 1_000 + " us (one sample, through two NATS servers)");
            carol.expect("[bob] (" + bob.pid() + "): hi from b");
            alice.send("hi from a");
            bob.expect("[" + alice.address() + "] (" + alice.pid() + "): hi from a");
            carol.expect("[" + alice.address() + "] (" + alice.pid() + "): hi from a");
            carol.send("/me waves");
            alice.expect("* " + carol.address() + " (" + carol.pid() + ") waves");
            bob.expect("* " + carol.address() + " (" + carol.pid() + ") waves");

            // A private line crosses nodes to whoever holds the nick; one for nobody is answered after a second.
            carol.send("/nick carol");
            carol.expect("*** you are now known as carol");
            alice.expect("*** " + carol.address() + " (" + carol.pid() + ") is now known as carol");
            alice.send("/msg carol psst");
            carol.expect("[" + alice.address() + "] (" + alice.pid() + ") privately: psst");
            alice.expect("*** to carol: psst");
            alice.send("/msg nobody hello?");
            alice.expect("*** no such nick: nobody");
            assertEquals(0, count(bob, "psst"), bob.recent());

            // Each line once: a marker after them, and nothing of theirs twice before it.
            bob.send("mark");
            alice.expect("[bob] (" + bob.pid() + "): mark");
            carol.expect("[bob] (" + bob.pid() + "): mark");
            for (var client : List.of(alice, carol)) {
                assertEquals(1, count(client, "): hi from b"), client.recent());
            }
            assertEquals(1, count(carol, "): hi from a"), carol.recent());
            assertEquals(1, count(bob, "): hi from a"), bob.recent());
            assertEquals(0, count(bob, "[bob] (" + bob.pid() + "): hi from b"), "a node never gets its own back");

            try (var admin = AdminClient.connect(RawAdmin.socketOf(a))) {
                var stats = admin.stats();
                assertEquals(1, stats.get("federation_connected"));
                assertTrue(stats.get("federation_published") >= 2, stats.toString());
                assertTrue(stats.get("federation_received") >= 4, stats.toString());
                assertEquals(0, stats.get("federation_duplicates"), stats.toString());
                assertEquals(2, stats.get("federation_nodes"), stats.toString());
                String metrics = admin.metrics();
                assertTrue(metrics.contains("\nforkcast_federation_connected 1\n"), metrics);
                AdminDashboardContract.promtoolAccepts(metrics);
            }
            alice.close();
            bob.close();
            carol.close();
        }
    }

    @Test
    void aRoomChangeMovesTheSubscriptionAndAKilledNodesPeopleAreShownAsLeft() throws Exception {
        try (var a = node("a", 0);
                var b = node("b", 1)) {
            // Dave is in #lobby on b before anyone is on a: a learns of him by asking who is there.
            var dave = b.join();
            dave.expect("*** you are in #lobby");
            var alice = named(a, "alice");
            var bob = b.join();
            bob.expect("*** you are in #lobby");
            alice.expect(joined(bob));
            a.awaitLog("event=federation_room room=lobby interest=on");

            alice.send("/join #side");
            alice.expect("*** you are now in #side");
            a.awaitLog("event=federation_room room=lobby interest=off");
            a.awaitLog("event=federation_room room=side interest=on");
            bob.expect("*** alice (" + alice.pid() + ") left for #side");

            bob.send("lobby only");
            bob.send("/join #side");
            bob.expect("*** you are now in #side");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") joined #side");
            bob.send("side line");
            alice.expect("[" + bob.address() + "] (" + bob.pid() + "): side line");
            assertEquals(0, count(alice, "lobby only"), alice.recent());

            // kill -9: no leave is ever published; the heartbeats stop, and a shows b's people as left.
            long killedAt = System.nanoTime();
            ForkcastServer.kill(b.pid(), "KILL");
            alice.expectLine(
                    line -> line.equals("*** " + bob.address() + " (" + bob.pid() + ") left"), Duration.ofSeconds(15));
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("FederationIT: node b killed, its user shown as left on a after " + tookMillis
                    + " ms (timeout " + NODE_TIMEOUT + ")");
            // Bob, and Dave, who never said a word while a listened: both were known to a.
            a.awaitLog("event=federation_node_gone node=b people=2 ");
            // Within the timeout (3 s) and a heartbeat period, with a second for the test's own reading.
            assertTrue(tookMillis < 3000 + 1000 + 1000, "took " + tookMillis + " ms");
            alice.close();
            bob.close();
            dave.close();
        }
    }

    @Test
    void aNodeWhoseNatsServerDiesReconnectsToAnotherAndChatGoesOn() throws Exception {
        // Node a lists servers 0 and 1 (jnats picks either, and learns server 2 from the cluster); b is on 2.
        try (var a = node("a", nats.url(0) + "," + nats.url(1));
                var b = node("b", 2)) {
            var alice = named(a, "alice");
            var bob = named(b, "bob");
            var started = a.awaitLog("event=federation_started node=a ");
            int first = started.contains("server=" + nats.url(0) + " ") ? 0 : 1;
            nats.kill(first);
            try {
                a.awaitLog("event=federation_disconnected node=a");
                // To the other listed server, or one jnats learnt from the cluster: any but the dead one.
                var again = a.awaitLog("event=federation_connected node=a server=\\S+ reconnects=1");
                assertFalse(again.contains("server=" + nats.url(first) + " "), again);
                // Interest travels the routes after the resubscription: say it until it arrives, once a second.
                expectAfterRetries(bob, alice, "after the outage", "[bob] (" + bob.pid() + "): ");
                expectAfterRetries(alice, bob, "back", "[alice] (" + alice.pid() + "): ");
                try (var admin = AdminClient.connect(RawAdmin.socketOf(a))) {
                    var stats = admin.stats();
                    assertEquals(1, stats.get("federation_connected"), stats.toString());
                    assertEquals(1, stats.get("federation_reconnects"), stats.toString());
                }
            } finally {
                nats.restart(first);
            }
            alice.close();
            bob.close();
        }
    }

    /** {@code from} says {@code text} N until {@code to} sees {@code prefix + text N}; at most 20 tries. */
    static void expectAfterRetries(TelnetClient from, TelnetClient to, String text, String prefix) throws Exception {
        for (int i = 1; i <= 20; i++) {
            from.send(text + " " + i);
            try {
                to.expectLine(line -> line.startsWith(prefix + text + " "), Duration.ofSeconds(1));
                return;
            } catch (AssertionError notYet) {
                // Not there within a second: say it again.
            }
        }
        throw new AssertionError(text + " never arrived\n" + to.recent());
    }

    @Test
    void aSecondNodeWithANameInUseRefusesToStart() throws Exception {
        try (var a = node("a", 0)) {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "fc-");
            try {
                var result = ConfigIT.run(
                        Map.of(),
                        "run",
                        "--port",
                        "0",
                        "--ws-port",
                        "off",
                        "--mqtt-port",
                        "off",
                        "--runtime-dir",
                        dir.resolve("run").toString(),
                        "--state-dir",
                        dir.resolve("state").toString(),
                        "--federation-url",
                        nats.urls(2),
                        "--node-name",
                        "a",
                        "--store-url",
                        "none");
                assertEquals(2, result.code(), result.toString());
                assertTrue(result.stderr().contains("node_name a is taken"), result.stderr());
                assertEquals(
                        1,
                        result.stderr()
                                .lines()
                                .filter(l -> l.contains("forkcast:"))
                                .count(),
                        result.stderr());
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
            assertTrue(a.process().isAlive(), "the first node a goes on");
        }
    }

    private static long count(TelnetClient client, String text) {
        return client.seen().stream().filter(l -> l.contains(text)).count();
    }
}
