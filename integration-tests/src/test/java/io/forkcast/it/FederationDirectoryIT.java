package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The directory across the nodes of a federation (docs/federation.md), on a real 3-node NATS cluster and three real
 * supervisors: {@code /who}, {@code /who *} and {@code /rooms} of every node, a nickname held on another node
 * refused, admin {@code LIST} with {@code node=} and {@code LIST ALL} over the real admin socket, and a killed node
 * named as not answering instead of waited for.
 */
@Timeout(240)
class FederationDirectoryIT {
    /** Long enough that a killed node is still expected (and named as silent) while the test asks. */
    private static final String NODE_TIMEOUT = "20s";

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

    private static ForkcastServer node(String name, int natsServer) throws Exception {
        return FederationNodes.start(name, nats.url(natsServer), NODE_TIMEOUT);
    }

    /** The lines {@code client} is shown from one starting with {@code first} up to {@code count} of them. */
    private static List<String> block(TelnetClient client, String first, int count) throws Exception {
        var lines = new ArrayList<String>();
        lines.add(client.expectLine(l -> l.equals(first)));
        for (int i = 1; i < count; i++) {
            lines.add(client.readLine(Duration.ofSeconds(10)));
        }
        return lines;
    }

    private static String person(TelnetClient who, String nick) {
        return "***   " + nick + " " + who.address() + " pid " + who.pid();
    }

    @Test
    void whoRoomsNicksAndAdminListSpanEveryNodeAndASilentNodeIsNamed() throws Exception {
        try (var a = node("a", 0);
                var b = node("b", 1);
                var c = node("c", 2)) {
            for (String other : List.of("b", "c")) {
                a.awaitLog("event=federation_node_up node=" + other);
            }
            b.awaitLog("event=federation_node_up node=c");
            var alice = FederationNodes.named(a, "alice");
            var bob = FederationNodes.named(b, "bob");
            var carol = FederationNodes.named(c, "carol");
            alice.expect("*** " + bob.address() + " (" + bob.pid() + ") is now known as bob");
            alice.expect("*** " + carol.address() + " (" + carol.pid() + ") is now known as carol");

            alice.send("/who");
            assertEquals(
                    List.of(
                            "*** 3 people in #lobby:",
                            person(alice, "alice") + " (you)",
                            person(bob, "bob"),
                            person(carol, "carol")),
                    block(alice, "*** 3 people in #lobby:", 4));

            carol.send("/join #side");
            carol.expect("*** you are now in #side");
            alice.expect("*** carol (" + carol.pid() + ") left for #side");
            alice.send("/who *");
            assertEquals(
                    List.of(
                            "*** 3 people connected:",
                            person(alice, "alice") + " in #lobby (you)",
                            person(bob, "bob") + " in #lobby on node b",
                            person(carol, "carol") + " in #side on node c"),
                    block(alice, "*** 3 people connected:", 4));
            alice.send("/rooms");
            assertEquals(
                    List.of("*** 2 rooms:", "***   #lobby (2 people)", "***   #side (1 person)"),
                    block(alice, "*** 2 rooms:", 3));

            // Topics: one set on a is set and shown on b; a node that starts listening to a room is told its topic.
            carol.send("/topic cakes at four");
            carol.expect("*** carol (" + carol.pid() + ") set the topic of #side: cakes at four");
            alice.send("/topic tea at five");
            alice.expect("*** alice (" + alice.pid() + ") set the topic of #lobby: tea at five");
            bob.expect("*** alice (" + alice.pid() + ") set the topic of #lobby: tea at five");
            bob.send("/topic");
            bob.expect("*** topic of #lobby: tea at five");
            bob.send("/join #side");
            bob.expect("*** you are now in #side");
            bob.expect("*** topic of #side: cakes at four"); // node c's answer when b starts listening to #side
            carol.expect("*** bob (" + bob.pid() + ") joined #side");
            bob.send("/join #lobby");
            bob.expect("*** topic of #lobby: tea at five");
            alice.expect("*** bob (" + bob.pid() + ") left for #side");
            alice.expect("*** bob (" + bob.pid() + ") joined #lobby");

            // A nickname held on node b is refused on a with the reason a local holder gets.
            var dan = a.join();
            dan.expect("*** you are in #lobby: tea at five"); // the topic alice set above
            dan.send("/nick alice");
            dan.expect("*** nickname alice refused: it is taken");
            dan.send("/nick bob");
            dan.expect("*** nickname bob refused: it is taken");
            dan.send("/nick Carol");
            dan.expect("*** nickname Carol refused: it is taken");
            dan.send("/nick dan");
            dan.expect("*** you are now known as dan");
            // (Refused by b's answer, or at once: a was asked about bob by b a moment ago; the reason is the same.)

            try (var admin = RawAdmin.connect(RawAdmin.socketOf(a))) {
                var list = admin.command("LIST");
                assertEquals(4, list.size(), list.toString()); // alice and dan, between START and END
                for (String line : list.subList(1, 3)) {
                    assertTrue(line.endsWith(" node=a"), line);
                }
                var all = admin.command("LIST ALL");
                assertEquals(list.subList(0, 3), all.subList(0, 3), "this node's lines first, as LIST has them");
                var others = all.subList(3, all.size() - 1);
                assertEquals(2, others.size(), all.toString());
                assertTrue(others.get(0).contains(" name=bob ") && others.get(0).endsWith(" node=b"), others.get(0));
                assertTrue(
                        others.get(1).contains(" name=carol ") && others.get(1).endsWith(" node=c"), others.get(1));
                assertEquals("OK bye", admin.single("QUIT"));
            }
            try (var admin = AdminClient.connect(RawAdmin.socketOf(a))) {
                assertEquals(2, admin.list().size(), "the Java admin client reads LIST JSON with node= as before");
            }

            // Node c dies: it is still expected (its heartbeats stop, the timeout is 20 s), so it is named.
            ForkcastServer.kill(c.pid(), "KILL");
            long askedAt = System.nanoTime();
            alice.send("/who *");
            var who = block(alice, "*** 3 people connected:", 5);
            long tookMillis = (System.nanoTime() - askedAt) / 1_000_000;
            assertEquals(
                    List.of(
                            "*** 3 people connected:",
                            person(alice, "alice") + " in #lobby (you)",
                            person(dan, "dan") + " in #lobby",
                            person(bob, "bob") + " in #lobby on node b",
                            "*** node c did not answer"),
                    who);
            System.out.println(
                    "FederationDirectoryIT: /who * with node c killed answered in " + tookMillis + " ms (timeout 1 s)");
            assertTrue(tookMillis >= 900 && tookMillis < 5000, "took " + tookMillis + " ms");
            try (var admin = RawAdmin.connect(RawAdmin.socketOf(a))) {
                var all = admin.command("LIST ALL");
                assertEquals("# node=c did not answer", all.get(all.size() - 2), all.toString());
                assertTrue(all.get(all.size() - 3).endsWith(" node=b"), all.toString());
            }
            try (var admin = AdminClient.connect(RawAdmin.socketOf(a))) {
                var stats = admin.stats();
                assertTrue(stats.get("federation_unanswered") >= 2, stats.toString());
                assertTrue(stats.get("federation_answers") >= 8, stats.toString());
            }
            alice.send("/nick alicia");
            alice.expect("*** you are now known as alicia");
            a.awaitLog("event=federation_nick_unchecked client=\\d+ nick=alicia silent=c ");
            alice.close();
            bob.close();
            carol.close();
            dan.close();
        }
    }
}
