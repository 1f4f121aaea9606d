package io.forkcast.supervisor.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.supervisor.meter.History;
import io.forkcast.supervisor.meter.ProcessUsage;
import io.forkcast.supervisor.route.Ask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class AdminCommandsTest {

    /** The relay as the commands see it: two clients, and a record of every order given. */
    static final class FakeRelay implements AdminOps {
        final List<ClientSnapshot> clients = new ArrayList<>(List.of(
                new ClientSnapshot(
                        3,
                        "127.0.0.1:50412",
                        4121,
                        null,
                        12,
                        3,
                        5,
                        20,
                        0,
                        "lobby",
                        null,
                        "telnet",
                        new ProcessUsage(4121, 1250, 2.5, 30_000_000, 15_000_000, 12, 9, 0)),
                new ClientSnapshot(
                        7, "[::1]:50500", 4200, "<b>bob</b>", 1, 0, 0, 2, 128, "Dev", "bob", "telnet", null)));
        final List<String> orders = new ArrayList<>();
        /** Set: a node of a federation, and LIST ALL's question goes to {@link #elsewhere}. */
        String node;

        final List<Consumer<Ask.Gathered>> elsewhere = new ArrayList<>();

        @Override
        public String federationNode() {
            return node;
        }

        @Override
        public boolean clientsElsewhere(Consumer<Ask.Gathered> then) {
            if (node == null) {
                return false;
            }
            elsewhere.add(then);
            return true;
        }

        @Override
        public List<ClientSnapshot> clientList() {
            return clients;
        }

        @Override
        public List<RoomSnapshot> roomList() {
            return List.of(new RoomSnapshot("lobby", 1, null), new RoomSnapshot("Dev", 1, "ship <it>, today"));
        }

        @Override
        public int roomNotice(String room, String text) {
            orders.add("room " + room + " [" + text + "]");
            return roomList().stream().anyMatch(r -> r.name().equalsIgnoreCase(room.replaceFirst("^#", ""))) ? 1 : -1;
        }

        @Override
        public SequencedMap<String, Long> counters() {
            var counters = new LinkedHashMap<String, Long>();
            counters.put("uptime", 42L);
            counters.put("clients", 2L);
            return counters;
        }

        @Override
        public void metrics(MetricsWriter out) {
            out.gauge("forkcast_clients", "Clients connected.", clients.size());
        }

        @Override
        public List<History.Point> history() {
            return List.of(
                    new History.Point(1_700_000_000, 2, 40, 60_000_000),
                    new History.Point(1_700_000_002, 3, 0, 70_000_000));
        }

        @Override
        public boolean notice(long clientId, String text) {
            orders.add("notice " + clientId + " [" + text + "]");
            return clients.stream().anyMatch(c -> c.id() == clientId);
        }

        @Override
        public int broadcast(String text) {
            orders.add("broadcast [" + text + "]");
            return clients.size();
        }

        @Override
        public boolean kick(long clientId, String reason) {
            orders.add("kick " + clientId + " [" + reason + "]");
            return clients.stream().anyMatch(c -> c.id() == clientId);
        }
    }

    private final FakeRelay relay = new FakeRelay();
    private final AdminCommands commands = new AdminCommands(
            relay,
            () -> {
                var counters = new LinkedHashMap<String, Long>();
                counters.put("admin_connections", 1L);
                return counters;
            },
            100);

    private List<String> run(String line) {
        return commands.execute(line).lines();
    }

    /** A command whose reply may come later: what it was, once it came (null while it has not). */
    private List<String> runLater(String line) {
        var reply = commands.execute(line);
        if (reply.later() == null) {
            return reply.lines();
        }
        var got = new ArrayList<List<String>>();
        reply.later().accept(r -> got.add(r.lines()));
        return got.isEmpty() ? null : got.getFirst();
    }

    @Test
    void listAllOfASupervisorAloneIsList() {
        assertEquals(run("LIST"), runLater("LIST ALL"));
    }

    @Test
    void inAFederationEachLineEndsWithItsNodeAndListAllAddsTheOthersAndNamesTheSilentOnes() {
        relay.node = "a";
        var list = run("LIST");
        assertTrue(list.get(1).endsWith(" kind=telnet node=a"), list.get(1));
        assertTrue(
                run("LIST JSON").getFirst().contains(",\"node\":\"a\"}"),
                run("LIST JSON").getFirst());
        assertEquals(null, runLater("LIST ALL"), "not before the other nodes answered");
        var reply = new ArrayList<List<String>>();
        commands.execute("LIST ALL").later().accept(r -> reply.add(r.lines()));
        var answers = new TreeMap<String, Ask.Answer>();
        answers.put("b", new Ask.ClientsAnswer(List.of("1 10.0.0.2:4000 pid=9 node=b")));
        relay.elsewhere.getLast().accept(new Ask.Gathered(answers, List.of("c")));
        var lines = reply.getFirst();
        assertEquals(list.subList(0, 3), lines.subList(0, 3), "this node's lines first, as LIST has them");
        assertEquals(
                List.of("1 10.0.0.2:4000 pid=9 node=b", "# node=c did not answer", "=== END ==="),
                lines.subList(3, lines.size()));
    }

    @Test
    void listKeepsTheTutorialsFirstTwoFieldsAndAddsKeyValues() {
        assertEquals(
                List.of(
                        "=== START ===",
                        "3 127.0.0.1:50412 pid=4121 name=- age=12 idle=3 in=5 out=20 queued=0 room=lobby user=- cpu=1.25"
                                + " rss=30000000 pss=15000000 threads=12 fds=9 kind=telnet",
                        "7 [::1]:50500 pid=4200 name=<b>bob</b> age=1 idle=0 in=0 out=2 queued=128 room=Dev user=bob cpu=-"
                                + " rss=- pss=- threads=- fds=- kind=telnet",
                        "=== END ==="),
                run("LIST"));
        assertEquals(run("LIST"), run("List Clients"));
        assertEquals(List.of("=== START ===", "=== END ==="), run("list websockets"), "no WebSocket clients");
    }

    @Test
    void listWebSocketsListsOnlyWebSocketClientsAsSeed003ReadsThem() {
        relay.clients.add(new AdminOps.ClientSnapshot(
                11, "127.0.0.1:50700", 4400, null, 2, 1, 0, 0, 0, "lobby", null, "websocket", null));
        assertEquals(
                List.of(
                        "=== START ===",
                        "11 127.0.0.1:50700 pid=4400 name=- age=2 idle=1 in=0 out=0 queued=0 room=lobby user=- cpu=-"
                                + " rss=- pss=- threads=- fds=- kind=websocket",
                        "=== END ==="),
                run("LIST WEBSOCKETS"));
        assertEquals(5, run("LIST").size(), "LIST is everyone: three clients");
        assertTrue(run("LIST WEBSOCKETS JSON").getFirst().startsWith("OK {\"clients\":[{\"id\":11,"));
        assertEquals(1, run("LIST WEBSOCKETS JSON").getFirst().split("\"id\":").length - 1);
    }

    @Test
    void listJsonIsOneLineWithNullForNoNicknameAndHtmlSafeStrings() {
        assertEquals(
                List.of("OK {\"clients\":[{\"id\":3,\"peer\":\"127.0.0.1:50412\",\"pid\":4121,\"name\":null,"
                        + "\"age\":12,\"idle\":3,\"in\":5,\"out\":20,\"queued\":0,\"room\":\"lobby\",\"user\":null,\"kind\":\"telnet\","
                        + "\"cpu\":1.25,\"cpu_percent\":2.5,\"rss\":30000000,\"pss\":15000000,\"threads\":12,\"fds\":9},"
                        + "{\"id\":7,\"peer\":\"[::1]:50500\","
                        + "\"pid\":4200,\"name\":\"\\u003cb\\u003ebob\\u003c/b\\u003e\",\"age\":1,\"idle\":0,\"in\":0,"
                        + "\"out\":2,\"queued\":128,\"room\":\"Dev\",\"user\":\"bob\",\"kind\":\"telnet\",\"cpu\":null,"
                        + "\"cpu_percent\":null,\"rss\":null,\"pss\":null,\"threads\":null,\"fds\":null}]}"),
                run("LIST JSON"));
        relay.clients.clear();
        assertEquals(List.of("OK {\"clients\":[]}"), run("list json"));
        assertEquals(List.of("=== START ===", "=== END ==="), run("LIST"));
    }

    @Test
    void topRanksByCpuOverTheLastIntervalAndAnUnsampledWorkerLast() {
        relay.clients.add(new AdminOps.ClientSnapshot(
                9,
                "127.0.0.1:50600",
                4300,
                "flood",
                5,
                0,
                900,
                1,
                0,
                "lobby",
                null,
                "telnet",
                new ProcessUsage(4300, 900, 87.5, 40_000_000, 20_000_000, 14, 9, 0)));
        assertEquals(
                List.of(
                        "=== START ===",
                        "9 127.0.0.1:50600 pid=4300 cpu_percent=87.5 cpu=0.90 rss=40000000 pss=20000000 threads=14"
                                + " fds=9 name=flood room=lobby user=- kind=telnet",
                        "3 127.0.0.1:50412 pid=4121 cpu_percent=2.5 cpu=1.25 rss=30000000 pss=15000000 threads=12"
                                + " fds=9 name=- room=lobby user=- kind=telnet",
                        "=== END ==="),
                run("TOP 2"));
        var all = run("top");
        assertEquals(5, all.size(), all.toString());
        assertTrue(all.get(3).startsWith("7 [::1]:50500 pid=4200 cpu_percent=- cpu=-"), all.get(3));
        assertEquals(List.of("ERROR usage: TOP [N], N from 1 to 1000"), run("TOP 0"));
        assertEquals(List.of("ERROR usage: TOP [N], N from 1 to 1000"), run("TOP many"));
        assertEquals(List.of("ERROR usage: TOP [N], N from 1 to 1000"), run("TOP 3 4"));
    }

    @Test
    void aThousandClientsAreListedAndRankedWellWithinTheAdminPagesBudget() {
        relay.clients.clear();
        for (int i = 1; i <= 1000; i++) {
            relay.clients.add(new AdminOps.ClientSnapshot(
                    i,
                    "10.0.0.1:" + (20000 + i),
                    50000 + i,
                    "nick" + i,
                    i,
                    0,
                    i,
                    i,
                    0,
                    "room" + (i % 7),
                    null,
                    "telnet",
                    new ProcessUsage(50000 + i, 10L * i, i % 100, 40_000_000, 15_000_000 + i, 13, 9, 0)));
        }
        // A running supervisor answers the page every 2 s: what counts is a warm answer, not the first one.
        // The best of ten rounds, so that a machine busy with other work does not decide.
        long millis = Long.MAX_VALUE;
        List<String> json = List.of();
        List<String> top = List.of();
        for (int round = 0; round < 10; round++) {
            long started = System.nanoTime();
            json = run("LIST JSON");
            top = run("TOP 1000");
            millis = Math.min(millis, (System.nanoTime() - started) / 1_000_000);
        }
        assertEquals(1, json.size());
        assertEquals(1002, top.size());
        // 99 % for every hundredth; of those the most CPU since start first.
        assertTrue(top.get(1).startsWith("999 "), top.get(1));
        // The page's endpoint must answer in under 100 ms with a thousand clients; the supervisor's part is this.
        assertTrue(millis < 100, "LIST JSON and TOP 1000 for 1000 clients took " + millis + " ms");
        System.out.printf("LIST JSON and TOP 1000 for 1000 clients, best of 10: %d ms%n", millis);
    }

    @Test
    void metricsArePrometheusTextWithTheAdminSocketsOwnFamilies() {
        var lines = run("METRICS");
        assertEquals("=== START ===", lines.getFirst());
        assertEquals("=== END ===", lines.getLast());
        assertEquals("# HELP forkcast_clients Clients connected.", lines.get(1));
        assertEquals("# TYPE forkcast_clients gauge", lines.get(2));
        assertEquals("forkcast_clients 2", lines.get(3));
        assertTrue(lines.contains("forkcast_admin_connections 1"), lines.toString());
        assertTrue(lines.contains("# TYPE forkcast_admin_commands_total counter"), lines.toString());
        assertEquals(List.of("ERROR usage: METRICS"), run("METRICS JSON"));
    }

    @Test
    void historyIsTheChartsPointsOldestFirst() {
        assertEquals(
                List.of(
                        "=== START ===",
                        "time=1700000000 clients=2 deliveries_per_second=40 memory_pss=60000000",
                        "time=1700000002 clients=3 deliveries_per_second=0 memory_pss=70000000",
                        "=== END ==="),
                run("HISTORY"));
        assertEquals(
                List.of("OK {\"interval_seconds\":2,\"columns\":[\"time\",\"clients\",\"deliveries_per_second\","
                        + "\"memory_pss\"],\"points\":[[1700000000,2,40,60000000],[1700000002,3,0,70000000]]}"),
                run("history json"));
    }

    @Test
    void sendMessageTakesTheWholeRestOfTheLineSpacesIncluded() {
        assertEquals(List.of("OK"), run("SEND MESSAGE 3 hello   world  "));
        assertEquals(List.of("OK"), run("send message 3 {\"message\":\"json from 003\"}"));
        assertEquals(List.of("notice 3 [hello   world  ]", "notice 3 [{\"message\":\"json from 003\"}]"), relay.orders);
    }

    @Test
    void adminTextLosesControlCharacters() {
        assertEquals(List.of("OK"), run("SEND MESSAGE 3 \u001b[2Jclear\u0007 me\u009b"));
        assertEquals(List.of("OK 2"), run("BROADCAST tab\tstays"));
        assertEquals(List.of("notice 3 [[2Jclear me]", "broadcast [tab\tstays]"), relay.orders);
    }

    @Test
    void anUnknownOrMalformedIdIsClientNotFound() {
        assertEquals(List.of("ERROR Client Not Found"), run("SEND MESSAGE 99 hi"));
        assertEquals(List.of("ERROR Client Not Found"), run("SEND MESSAGE abc hi"));
        assertEquals(List.of("ERROR Client Not Found"), run("SEND MESSAGE 99999999999999999999999 hi"));
        assertEquals(List.of("ERROR Client Not Found"), run("KICK -3"));
        assertEquals(List.of("notice 99 [hi]"), relay.orders);
    }

    @Test
    void missingArgumentsGetUsage() {
        assertEquals(List.of("ERROR usage: SEND MESSAGE <id> <text>"), run("SEND MESSAGE 3"));
        assertEquals(List.of("ERROR usage: SEND MESSAGE <id> <text>"), run("SEND MESSAGE 3  "));
        assertEquals(List.of("ERROR usage: SEND MESSAGE <id> <text>, or SEND ROOM <room> <text>"), run("SEND 3 hi"));
        assertEquals(List.of("ERROR usage: SEND ROOM <room> <text>"), run("SEND ROOM lobby"));
        assertEquals(List.of("ERROR usage: LIST ROOMS [JSON]"), run("LIST ROOMS ALL"));
        assertEquals(List.of("ERROR usage: BROADCAST <text>"), run("BROADCAST"));
        assertEquals(List.of("ERROR usage: KICK <id> [reason]"), run("KICK"));
        assertEquals(List.of("ERROR usage: LIST [CLIENTS|WEBSOCKETS] [JSON]"), run("LIST EVERYTHING"));
        assertEquals(List.of("ERROR usage: LIST ALL"), run("LIST ALL JSON"));
        assertEquals(List.of("ERROR usage: STATS [JSON]"), run("STATS JSON NOW"));
        assertTrue(relay.orders.isEmpty());
    }

    @Test
    void textOverTheLimitIsRefusedWithItsSize() {
        assertEquals(List.of("ERROR text too long: 101 bytes, limit 100"), run("SEND MESSAGE 3 " + "x".repeat(101)));
        assertEquals(List.of("ERROR text too long: 102 bytes, limit 100"), run("BROADCAST " + "é".repeat(51)));
        assertTrue(relay.orders.isEmpty());
    }

    @Test
    void kickPassesTheReasonOnOrSaysWhoKicked() {
        assertEquals(List.of("OK"), run("KICK 3 spamming  links"));
        assertEquals(List.of("OK"), run("kick 7"));
        assertEquals(
                List.of("kick 3 [kicked by an operator: spamming  links]", "kick 7 [kicked by an operator]"),
                relay.orders);
    }

    @Test
    void statsListsRelayAndAdminCountersInOrder() {
        assertEquals(
                List.of("=== START ===", "uptime=42", "clients=2", "admin_connections=1", "=== END ==="), run("STATS"));
        assertEquals(List.of("OK {\"uptime\":42,\"clients\":2,\"admin_connections\":1}"), run("stats json"));
    }

    @Test
    void everythingElseGetsAnErrorNeverSilence() {
        assertEquals(List.of("ERROR unknown command, try HELP"), run("FROBNICATE"));
        assertEquals(List.of("ERROR unknown command, try HELP"), run("\u0000\u0001"));
        assertEquals(List.of("ERROR empty command, try HELP"), run(""));
        assertEquals(List.of("ERROR empty command, try HELP"), run(" \t "));
        var help = run("HELP");
        assertEquals("=== START ===", help.getFirst());
        assertEquals("=== END ===", help.getLast());
        assertTrue(help.stream().anyMatch(l -> l.startsWith("SEND MESSAGE <id> <text>")));
    }

    @Test
    void quitAnswersAndAsksForTheConnectionToClose() {
        var reply = commands.execute("quit");
        assertEquals(List.of("OK bye"), reply.lines());
        assertTrue(reply.close());
        assertFalse(commands.execute("LIST").close());
    }

    @Test
    void listRoomsGivesNameMembersAndTopicLastAsTextOrJson() {
        assertEquals(
                List.of(
                        "=== START ===",
                        "lobby members=1 topic=",
                        "Dev members=1 topic=ship <it>, today",
                        "=== END ==="),
                run("list rooms"));
        assertEquals(
                List.of("OK {\"rooms\":[{\"name\":\"lobby\",\"members\":1,\"topic\":null},{\"name\":\"Dev\","
                        + "\"members\":1,\"topic\":\"ship \\u003cit\\u003e, today\"}]}"),
                run("LIST ROOMS JSON"));
    }

    @Test
    void sendRoomAnswersHowManyItReachedOrRoomNotFound() {
        assertEquals(List.of("OK 1"), run("SEND ROOM #dev release in  5 minutes"));
        assertEquals(List.of("ERROR Room Not Found"), run("send room nowhere hello"));
        assertEquals(List.of("room #dev [release in  5 minutes]", "room nowhere [hello]"), relay.orders);
        assertEquals(List.of("ERROR text too long: 101 bytes, limit 100"), run("SEND ROOM dev " + "x".repeat(101)));
    }
}
