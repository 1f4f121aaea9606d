package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import io.forkcast.admin.AdminException;
import io.forkcast.admin.ClientInfo;
import io.forkcast.admin.RoomInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rooms, topics and private messages as telnet users and operators see them, against the real server. */
@Timeout(180)
class RoomsIT {
    private static final Pattern LINE =
            Pattern.compile("^\\[[^]]+] \\((\\d+)\\): (line|mark|gap|after) (\\d+) (\\d+)$");

    @Test
    void twentyClientsInFourRoomsGetTheirRoomsLinesInOrderAndNoneOfTheOthers() throws Exception {
        int clients = 20;
        int rooms = 4;
        int lines = 20;
        // Twenty clients from one address: the per-address limit is lifted for them.
        try (var server = ForkcastServer.start("--clients-per-address-max", "0")) {
            var all = new ArrayList<TelnetClient>();
            try {
                for (int i = 0; i < clients; i++) {
                    var c = server.join();
                    c.expect("*** you are in #lobby");
                    c.send("/join #r" + (i % rooms));
                    c.expect("*** you are now in #r" + (i % rooms));
                    all.add(c);
                }
                for (int i = 0; i < clients; i++) {
                    for (int k = 1; k <= lines; k++) {
                        all.get(i).send("line " + i + " " + k);
                    }
                }
                var seen = new ArrayList<Map<Integer, List<Integer>>>();
                int perClient = (clients / rooms - 1) * lines;
                for (int i = 0; i < clients; i++) {
                    seen.add(new HashMap<>());
                    collect(all.get(i), seen.get(i), perClient, "line");
                }
                // Everyone has had all of its room's lines, so every line was routed: a line routed to the wrong
                // room would now sit in its receivers' streams ahead of each room's marker.
                for (int r = 0; r < rooms; r++) {
                    all.get(r).send("mark " + r + " 1");
                }
                for (int i = 0; i < clients; i++) {
                    if (i >= rooms) {
                        collect(all.get(i), seen.get(i), 1, "mark");
                    }
                }
                for (int i = 0; i < clients; i++) {
                    for (int from = 0; from < clients; from++) {
                        var expected = new ArrayList<Integer>();
                        if (from != i && from % rooms == i % rooms) {
                            for (int k = 1; k <= lines; k++) {
                                expected.add(k);
                            }
                        }
                        assertEquals(
                                expected,
                                seen.get(i).getOrDefault(from, List.of()),
                                "client " + i + " (room r" + (i % rooms) + ") from client " + from);
                    }
                }
            } finally {
                all.forEach(TelnetClient::close);
            }
        }
    }

    /** Reads chat lines until {@code count} of {@code kind} have arrived, recording each sender's line numbers. */
    private static void collect(TelnetClient client, Map<Integer, List<Integer>> seen, int count, String kind)
            throws Exception {
        int got = 0;
        while (got < count) {
            String line = client.readLine();
            assertTrue(line != null, "closed; " + client.recent());
            var m = LINE.matcher(line);
            if (m.matches()) {
                if (m.group(2).equals("line")
                        || m.group(2).equals("gap")
                        || m.group(2).equals("after")) {
                    seen.computeIfAbsent(Integer.parseInt(m.group(3)), k -> new ArrayList<>())
                            .add(Integer.parseInt(m.group(4)));
                }
                if (m.group(2).equals(kind)) {
                    got++;
                }
            }
        }
    }

    @Test
    void joinPartWhoRoomsAndTopicsAsTheChatShowsThem() throws Exception {
        try (var server = ForkcastServer.start("--rooms", "help \"Ask here, anything\", quiet", "--rooms-max", "4");
                var a = server.join();
                var b = server.join();
                var c = server.join()) {
            a.send("/nick ann");
            a.expect("*** you are now known as ann");
            b.send("/nick bob");
            b.expect("*** you are now known as bob");

            b.send("/join #Dev");
            b.expect("*** you are now in #Dev");
            b.expect("*** #Dev has no topic");
            b.expect("*** 1 person in #Dev:");
            b.expectLine(l -> l.startsWith("***   bob ") && l.endsWith("(you)"));
            a.expect("*** bob (" + b.pid() + ") left for #Dev");

            a.send("/join dev");
            a.expect("*** you are now in #Dev");
            a.expect("*** #Dev has no topic");
            a.expect("*** 2 people in #Dev:");
            b.expect("*** ann (" + a.pid() + ") joined #Dev");

            a.send("/topic release at 5, then pizza");
            String announced = "*** ann (" + a.pid() + ") set the topic of #Dev: release at 5, then pizza";
            a.expect(announced);
            b.expect(announced);
            b.send("/topic");
            b.expect("*** topic of #Dev: release at 5, then pizza");
            b.send("/topic " + "x".repeat(201));
            b.expect("*** a topic has at most 200 bytes, this one has 201");

            a.send("in dev");
            b.expect("[ann] (" + a.pid() + "): in dev");
            a.send("/me waves");
            b.expect("* ann (" + a.pid() + ") waves");

            a.send("/who");
            a.expect("*** 2 people in #Dev:");
            a.send("/who *");
            a.expect("*** 3 people connected:");
            var everyone = List.of(a.readLine(), a.readLine(), a.readLine());
            assertTrue(
                    everyone.get(0).contains("ann") && everyone.get(0).endsWith("in #Dev (you)"), everyone.toString());
            assertTrue(everyone.get(1).contains("bob") && everyone.get(1).endsWith("in #Dev"), everyone.toString());
            assertTrue(
                    everyone.get(2).contains(c.address()) && everyone.get(2).endsWith("in #lobby"),
                    everyone.toString());

            c.send("/rooms");
            c.expect("*** 4 rooms:");
            assertEquals(
                    List.of(
                            "***   #help (0 people): Ask here, anything",
                            "***   #quiet (0 people)",
                            "***   #lobby (1 person)",
                            "***   #Dev (2 people): release at 5, then pizza"),
                    List.of(c.readLine(), c.readLine(), c.readLine(), c.readLine()));
            c.send("/join one-too-many");
            c.expect("*** too many rooms");
            c.send("/join no/slashes");
            c.expect("*** a room name has 1 to 32 letters, digits, '-', '_' or '.' (a leading # is ignored)");
            c.send("/join lobby");
            c.expect("*** you are already in #lobby");
            c.send("/join HELP");
            c.expect("*** you are now in #help");
            c.expect("*** topic of #help: Ask here, anything");

            // The lobby heard nothing of #Dev.
            c.send("/part");
            c.expect("*** you are now in #lobby");
            assertFalse(
                    c.seen().stream().anyMatch(l -> l.contains("in dev") || l.contains("waves")),
                    c.seen().toString());

            // #Dev disappears, with its topic, when its last member leaves; configured rooms stay.
            a.send("/part");
            a.expect("*** you are now in #lobby");
            b.expect("*** ann (" + a.pid() + ") left for #lobby");
            b.send("/quit");
            b.expect("*** bye");
            // "bye" comes from b's worker; the supervisor may not have taken b out of #Dev yet.
            server.awaitLog("event=left worker=\\d+ pid=" + b.pid() + " ");
            c.send("/rooms");
            c.expect("*** 3 rooms:");
            assertEquals(
                    List.of(
                            "***   #help (0 people): Ask here, anything",
                            "***   #quiet (0 people)",
                            "***   #lobby (2 people)"),
                    List.of(c.readLine(), c.readLine(), c.readLine()));
            c.send("/join dev");
            c.expect("*** you are now in #dev");
            c.expect("*** #dev has no topic");
        }
    }

    @Test
    void privateMessagesReachOnlyTheirRecipientAndReplyAnswersTheLastSender() throws Exception {
        try (var server = ForkcastServer.start();
                var a = server.join();
                var b = server.join();
                var c = server.join()) {
            b.send("/nick Bob");
            b.expect("*** you are now known as Bob");
            b.send("/join elsewhere");
            b.expect("*** you are now in #elsewhere");

            a.send("/msg bob are you there?");
            a.expect("*** to Bob: are you there?");
            b.expect("[" + a.address() + "] (" + a.pid() + ") privately: are you there?");
            b.send("/reply yes, in #elsewhere");
            b.expect("*** to " + a.address() + ": yes, in #elsewhere");
            a.expect("[Bob] (" + b.pid() + ") privately: yes, in #elsewhere");

            a.send("/msg nobody hello?");
            a.expect("*** no such nick: nobody");
            c.send("/reply hm");
            c.expect("*** nobody has sent you a private message yet");
            c.send("/msg Bob");
            c.expect("*** usage: /msg NICK TEXT");

            // c, in the lobby with a, saw none of it: its next chat line is a's public one.
            a.send("public now");
            c.expect("[" + a.address() + "] (" + a.pid() + "): public now");
            assertFalse(
                    c.seen().stream().anyMatch(l -> l.contains("privately") || l.contains("are you there")),
                    c.seen().toString());
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                assertEquals(2L, admin.stats().get("private_lines"));
            }
        }
    }

    @Test
    void roomsNicknamesAndTopicsSurviveASupervisorKillAndGapLinesReachOnlyTheirRoomOnce() throws Exception {
        int clients = 8;
        int gapLines = 3;
        var first = ForkcastServer.start("--clients-per-address-max", "0");
        try (first) {
            var all = new ArrayList<TelnetClient>();
            try {
                for (int i = 0; i < clients; i++) {
                    var c = first.join();
                    c.send("/nick n" + i);
                    c.expect("*** you are now known as n" + i);
                    c.send("/join room" + (i % 2));
                    c.expect("*** you are now in #room" + (i % 2));
                    all.add(c);
                }
                all.get(0).send("/topic kept across restarts");
                all.get(0).expect("*** n0 (" + all.get(0).pid() + ") set the topic of #room0: kept across restarts");

                ForkcastServer.kill(first.pid(), "KILL");
                for (var c : all) {
                    c.expect("*** reconnecting to server...");
                }
                for (int i = 0; i < clients; i++) {
                    for (int k = 1; k <= gapLines; k++) {
                        all.get(i).send("gap " + i + " " + k);
                    }
                }
                try (var second = ForkcastServer.startAfter(first)) {
                    for (var c : all) {
                        c.expect("*** reconnected");
                    }
                    var seen = new ArrayList<Map<Integer, List<Integer>>>();
                    int perClient = (clients / 2 - 1) * gapLines;
                    for (int i = 0; i < clients; i++) {
                        seen.add(new HashMap<>());
                        collect(all.get(i), seen.get(i), perClient, "gap");
                    }
                    for (int i = 0; i < clients; i++) {
                        all.get(i).send("after " + i + " 1");
                    }
                    for (int i = 0; i < clients; i++) {
                        collect(all.get(i), seen.get(i), clients / 2 - 1, "after");
                    }
                    for (int i = 0; i < clients; i++) {
                        for (int from = 0; from < clients; from++) {
                            boolean sameRoom = from != i && from % 2 == i % 2;
                            var expected = new ArrayList<Integer>();
                            if (sameRoom) {
                                for (int k = 1; k <= gapLines; k++) {
                                    expected.add(k);
                                }
                            }
                            assertEquals(
                                    expected,
                                    seen.get(i).getOrDefault(from, List.of()).stream()
                                            .limit(gapLines)
                                            .toList(),
                                    "gap lines of client " + i + " from " + from);
                            assertEquals(
                                    sameRoom ? gapLines + 1 : 0,
                                    seen.get(i).getOrDefault(from, List.of()).size(),
                                    "client " + i + " from " + from + ": " + seen.get(i));
                        }
                    }
                    // Nicknames, rooms and the topic came back with the workers.
                    all.get(1).send("/who");
                    all.get(1).expect("*** 4 people in #room1:");
                    all.get(2).send("/topic");
                    all.get(2).expect("*** topic of #room0: kept across restarts");
                    try (var admin = AdminClient.connect(RawAdmin.socketOf(second))) {
                        var rooms = admin.rooms().stream()
                                .filter(r -> r.name().startsWith("room"))
                                .toList();
                        assertEquals(
                                List.of(
                                        new RoomInfo("room0", 4, "kept across restarts"),
                                        new RoomInfo("room1", 4, null)),
                                rooms.stream()
                                        .sorted((x, y) -> x.name().compareTo(y.name()))
                                        .toList());
                        for (ClientInfo client : admin.list()) {
                            assertTrue(client.name().startsWith("n"), client.toString());
                            assertEquals(
                                    "room" + (Integer.parseInt(client.name().substring(1)) % 2), client.room());
                        }
                    }
                }
            } finally {
                all.forEach(TelnetClient::close);
            }
        }
    }

    @Test
    void operatorsListRoomsAndSendToOneRoom() throws Exception {
        try (var server = ForkcastServer.start("--rooms", "ops \"for operators\"");
                var a = server.join();
                var b = server.join();
                var c = server.join()) {
            a.send("/join ops");
            a.expect("*** you are now in #ops");
            b.send("/join ops");
            b.expect("*** you are now in #ops");
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                assertEquals(
                        List.of(new RoomInfo("ops", 2, "for operators"), new RoomInfo("lobby", 1, null)),
                        admin.rooms());
                assertEquals(2, admin.sendRoom("#OPS", "maintenance at noon"));
                a.expect("*** admin: maintenance at noon");
                b.expect("*** admin: maintenance at noon");
                var refused = org.junit.jupiter.api.Assertions.assertThrows(
                        AdminException.Refused.class, () -> admin.sendRoom("nowhere", "hello"));
                assertEquals("Room Not Found", refused.reason());
                var rooms = new HashMap<String, String>();
                for (var client : admin.list()) {
                    rooms.put(client.peer(), client.room());
                }
                assertEquals(Map.of(a.address(), "ops", b.address(), "ops", c.address(), "lobby"), rooms);

                var list = admin.command("LIST");
                assertTrue(
                        list.stream().anyMatch(l -> l.contains(c.address()) && l.contains(" room=lobby ")),
                        list.toString());
                assertEquals(
                        List.of("ops members=2 topic=for operators", "lobby members=1 topic="),
                        admin.command("LIST ROOMS"));
                assertTrue(admin.command("LIST JSON").getFirst().contains("\"room\":\"ops\""));
            }
            // The lobby got nothing of it: c's next line is the broadcast that follows.
            try (var admin = AdminClient.connect(RawAdmin.socketOf(server))) {
                assertEquals(3, admin.broadcast("to everyone"));
            }
            c.expect("*** admin: to everyone");
            assertFalse(
                    c.seen().stream().anyMatch(l -> l.contains("maintenance")),
                    c.seen().toString());
        }
    }
}
