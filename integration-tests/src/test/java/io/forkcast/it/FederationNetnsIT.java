package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three supervisors on three test hosts (network namespaces with veth pairs on a bridge, {@link NetnsHosts}), each
 * with the nats-server of a 3-node cluster on the same host, and telnet users reaching them over the hosts'
 * addresses: chat both ways once, private lines across hosts, kill -9 of a supervisor, and a cut link behaving
 * like a dead node until it is back. Where namespaces are not permitted, the same on 127.0.0.2-4 (printed), less
 * the cut link, which loopback cannot do.
 */
@Timeout(300)
class FederationNetnsIT {
    /** Short, so that a dead or cut-off node is noticed quickly; heartbeats go every third of it. */
    private static final String NODE_TIMEOUT = "3s";
    /** The timeout, a heartbeat period, and a second for the test's own reading. */
    private static final long LEFT_WITHIN_MILLIS = 3000 + 1000 + 1000;

    private static NetnsHosts hosts;
    private static NatsCluster nats;

    @BeforeAll
    static void hostsAndCluster() throws Exception {
        Tools.require("nats-server", "the federation tests");
        hosts = NetnsHosts.create(3);
        System.out.println("FederationNetnsIT: "
                + (hosts.namespaces()
                        ? "three network namespaces"
                        : "network namespaces not permitted: loopback addresses 127.0.0.2-4"));
        nats = NatsCluster.launch(hosts);
    }

    @AfterAll
    static void stopAll() {
        if (nats != null) {
            nats.close();
        }
        if (hosts != null) {
            hosts.close();
        }
    }

    /** Supervisor {@code name} on host {@code i}, bound to its address, on that host's NATS server. */
    private static ForkcastServer node(int i, String name) throws Exception {
        var launcher = hosts.on(
                i, List.of(ForkcastServer.HOME.resolve("scripts/forkcast").toString(), "run"));
        var server = ForkcastServer.start(
                launcher,
                Map.of(),
                new ArrayList<>(List.of(
                        "--bind",
                        hosts.address(i),
                        "--ws-port",
                        "off",
                        "--mqtt-port",
                        "off",
                        "--federation-url",
                        nats.url(i),
                        "--node-name",
                        name,
                        "--federation-node-timeout",
                        NODE_TIMEOUT,
                        "--pool-min-spare",
                        "1",
                        "--store-url",
                        "none")));
        assertEquals(hosts.address(i), server.host(), "bound to its host's address");
        server.awaitLog("event=federation_started node=" + name + " ");
        return server;
    }

    private static TelnetClient named(ForkcastServer server, String nick) throws Exception {
        var client = server.join();
        client.expect("*** you are in #lobby");
        client.send("/nick " + nick);
        client.expect("*** you are now known as " + nick);
        return client;
    }

    /** Three users, one per host, each having seen the other two arrive and take their nicks. */
    private static List<TelnetClient> threeUsers(List<ForkcastServer> servers) throws Exception {
        var alice = named(servers.get(0), "alice");
        var bob = named(servers.get(1), "bob");
        alice.expect(renamed(bob, "bob"));
        var carol = named(servers.get(2), "carol");
        for (var other : List.of(alice, bob)) {
            other.expect(renamed(carol, "carol"));
        }
        return List.of(alice, bob, carol);
    }

    private static String renamed(TelnetClient who, String nick) {
        return "*** " + who.address() + " (" + who.pid() + ") is now known as " + nick;
    }

    @Test
    void usersOnThreeHostsChatBothWaysOnceAndPrivateLinesCrossHosts() throws Exception {
        try (var a = node(0, "a");
                var b = node(1, "b");
                var c = node(2, "c")) {
            var users = threeUsers(List.of(a, b, c));
            var alice = users.get(0);
            var bob = users.get(1);
            var carol = users.get(2);
            assertTrue(alice.address().startsWith(hosts.namespaces() ? "10.213." : "127."), alice.address());

            bob.send("hi from b");
            alice.send("hi from a");
            carol.send("hi from c");
            for (var user : users) {
                for (var from : users) {
                    String line = "[" + nick(users, from) + "] (" + from.pid() + "): hi from " + host(users, from);
                    // In any order: a line read while waiting for another is among those seen.
                    if (from != user && !user.seen().contains(line)) {
                        user.expect(line);
                    }
                }
            }

            alice.send("/msg carol psst");
            carol.expect("[alice] (" + alice.pid() + ") privately: psst");
            alice.expect("*** to carol: psst");
            carol.send("/msg bob over here");
            bob.expect("[carol] (" + carol.pid() + ") privately: over here");

            // Each line once: a marker after them on every host, and nothing before it twice or back to its sender.
            alice.send("mark");
            bob.expect("[alice] (" + alice.pid() + "): mark");
            carol.expect("[alice] (" + alice.pid() + "): mark");
            for (var user : users) {
                for (var from : users) {
                    long expected = from == user ? 0 : 1;
                    String line = "[" + nick(users, from) + "] (" + from.pid() + "): hi from " + host(users, from);
                    assertEquals(expected, count(user, line), line + "\n" + user.recent());
                }
            }
            assertEquals(0, count(bob, "psst"), bob.recent());
            assertEquals(0, count(alice, "over here"), alice.recent());
            for (var user : users) {
                user.close();
            }
        }
    }

    @Test
    void aSupervisorKilledOnItsHostHasItsUserShownAsLeftOnTheOthers() throws Exception {
        try (var a = node(0, "a");
                var b = node(1, "b");
                var c = node(2, "c")) {
            var users = threeUsers(List.of(a, b, c));
            long killedAt = System.nanoTime();
            ForkcastServer.kill(c.pid(), "KILL");
            for (var user : users.subList(0, 2)) {
                user.expectLine(
                        line -> line.equals("*** carol (" + users.get(2).pid() + ") left"), Duration.ofSeconds(15));
            }
            long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("FederationNetnsIT: supervisor c killed on its host, its user shown as left on a and b"
                    + " after " + tookMillis + " ms (timeout " + NODE_TIMEOUT + ")");
            assertTrue(tookMillis < LEFT_WITHIN_MILLIS, "took " + tookMillis + " ms");
            a.awaitLog("event=federation_node_gone node=c people=1 ");
            users.get(0).send("still here");
            users.get(1).expect("[alice] (" + users.get(0).pid() + "): still here");
            for (var user : users) {
                user.close();
            }
        }
    }

    @Test
    void aCutLinkIsADeadNodeAndChatResumesWhenTheLinkIsBack() throws Exception {
        if (!hosts.namespaces()) {
            System.out.println("FederationNetnsIT: no network namespaces, no link to cut: cut-link test skipped");
            Assumptions.abort("loopback hosts have no link to cut");
        }
        try (var a = node(0, "a");
                var b = node(1, "b");
                var c = node(2, "c")) {
            var users = threeUsers(List.of(a, b, c));
            var alice = users.get(0);
            var bob = users.get(1);
            var carol = users.get(2);
            long cutAt = System.nanoTime();
            hosts.cut(2);
            try {
                for (var user : List.of(alice, bob)) {
                    user.expectLine(
                            line -> line.equals("*** carol (" + carol.pid() + ") left"), Duration.ofSeconds(15));
                }
                long tookMillis = (System.nanoTime() - cutAt) / 1_000_000;
                System.out.println("FederationNetnsIT: host c cut off, its user shown as left on a and b after "
                        + tookMillis + " ms (timeout " + NODE_TIMEOUT + ")");
                assertTrue(tookMillis < LEFT_WITHIN_MILLIS, "took " + tookMillis + " ms");
                a.awaitLog("event=federation_node_gone node=c people=1 ");
                b.awaitLog("event=federation_node_gone node=c people=1 ");
                // a and b still reach each other.
                alice.send("while c is away");
                bob.expect("[alice] (" + alice.pid() + "): while c is away");
            } finally {
                hosts.mend(2);
            }
            // Stalled connections (telnet to c, the NATS routes) resume on the kernel's retransmission: say it
            // again once a second until it has crossed.
            FederationIT.expectAfterRetries(carol, alice, "c is back", "[carol] (" + carol.pid() + "): ");
            bob.expectLine(line -> line.startsWith("[carol] (" + carol.pid() + "): c is back "));
            FederationIT.expectAfterRetries(bob, carol, "welcome back", "[bob] (" + bob.pid() + "): ");
            for (var user : users) {
                user.close();
            }
        }
    }

    private static String nick(List<TelnetClient> users, TelnetClient user) {
        return List.of("alice", "bob", "carol").get(users.indexOf(user));
    }

    private static String host(List<TelnetClient> users, TelnetClient user) {
        return List.of("a", "b", "c").get(users.indexOf(user));
    }

    private static long count(TelnetClient client, String text) {
        return client.seen().stream().filter(l -> l.contains(text)).count();
    }
}
