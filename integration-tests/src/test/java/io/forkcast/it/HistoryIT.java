package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static io.forkcast.it.Accounts.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Room history and messages kept for users who are away, in the embedded store (H2) with nothing installed: what
 * a telnet user sees, across supervisor restarts and a kill -9.
 */
@Timeout(240)
class HistoryIT {
    /** A history line as a telnet client sees it today: {@code HH:MM [name]: text}. */
    private static final Pattern TODAY = Pattern.compile("^\\d\\d:\\d\\d \\[([^]]+)]: (.*)$");

    @TempDir
    Path dir;

    private Path users() throws Exception {
        Path file = dir.resolve("users.htpasswd");
        htpasswd(file, "alice", "wonderland", "-c");
        htpasswd(file, "bob", "builder", "-B");
        return file;
    }

    /** The lines between a history heading and its end, as read by {@code client}. */
    private static List<String> history(TelnetClient client, String heading) throws Exception {
        client.expect(heading);
        var lines = new ArrayList<String>();
        while (true) {
            String line = client.readLine();
            if (line.equals("--- end of history ---") || line.equals("--- end of messages ---")) {
                return lines;
            }
            lines.add(line);
        }
    }

    @Test
    void aRoomsLastLinesAreShownOnEnteringItWithTheirTimeAndSurviveAFullRestart() throws Exception {
        String state = dir.resolve("state").toString();
        try (var server = ForkcastServer.start("--state-dir", state, "--history-lines", "3");
                var talker = server.join()) {
            talker.expect("*** you are in #lobby");
            for (int i = 1; i <= 5; i++) {
                talker.send("lobby line " + i);
            }
            talker.send("/join dev");
            talker.expect("*** you are now in #dev");
            talker.send("dev line 1");
            talker.send("/me ships it");
            // A second client in dev sees them live: they were relayed, and the store has been given them.
            try (var watcher = server.join()) {
                watcher.send("/join dev");
                var seen = history(watcher, "--- last 2 lines of #dev ---");
                assertEquals(2, seen.size(), seen.toString());
                assertTrue(TODAY.matcher(seen.getFirst()).matches(), seen.getFirst());
                assertTrue(seen.getFirst().endsWith(" [" + talker.address() + "]: dev line 1"), seen.toString());
                assertTrue(
                        seen.get(1).matches("^\\d\\d:\\d\\d \\* " + Pattern.quote(talker.address()) + " ships it$"),
                        seen.toString());
            }
        }
        // A full stop (every client dropped) and a new supervisor on the same state directory.
        try (var server = ForkcastServer.start("--state-dir", state, "--history-lines", "3");
                var late = server.connect()) {
            late.expectLine(l -> l.startsWith("Welcome to forkcast"));
            var lobby = history(late, "--- last 3 lines of #lobby ---");
            assertEquals(
                    List.of("lobby line 3", "lobby line 4", "lobby line 5"),
                    lobby.stream().map(l -> textOf(l)).toList());
            late.send("/history 5");
            assertEquals(5, history(late, "--- last 5 lines of #lobby ---").size());
            late.send("/history 500");
            assertEquals(5, history(late, "--- last 5 lines of #lobby ---").size(), "all there is");
            late.send("/join dev");
            assertEquals(2, history(late, "--- last 2 lines of #dev ---").size());
        }
    }

    private static String textOf(String historyLine) {
        var m = TODAY.matcher(historyLine);
        assertTrue(m.matches(), historyLine);
        return m.group(2);
    }

    @Test
    void aMessageForAnAbsentUserWaitsAndIsDeliveredOnceAtItsNextLogin() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString());
                var bob = server.join()) {
            login(bob, "bob", "builder");
            bob.expect("*** you are logged in as bob");
            bob.send("/msg alice are you there?");
            bob.expect("*** alice is away; the message will be delivered when they log in");
            bob.send("/msg Alice call me");
            bob.expect("*** alice is away; the message will be delivered when they log in");
            bob.send("/msg nobody hello");
            bob.expect("*** no such nick: nobody");
            try (var alice = server.join()) {
                login(alice, "alice", "wonderland");
                alice.expect("*** you are logged in as alice");
                var away = history(alice, "--- 2 messages while you were away ---");
                assertEquals(2, away.size(), away.toString());
                assertTrue(
                        away.getFirst().matches("^\\d\\d:\\d\\d \\[bob] privately: are you there\\?$"),
                        away.toString());
                assertTrue(away.get(1).endsWith(" [bob] privately: call me"), away.toString());
                // Now she is here: a line reaches her at once.
                bob.send("/msg alice welcome back");
                alice.expect("[bob] (" + bob.pid() + ") privately: welcome back");
            }
            try (var again = server.join()) {
                login(again, "alice", "wonderland");
                again.expect("*** you are logged in as alice");
                again.send("/who");
                again.expect("*** 2 people in #lobby:");
                assertTrue(
                        again.seen().stream().noneMatch(l -> l.contains("while you were away")),
                        "delivered once: " + again.seen());
            }
        }
    }

    @Test
    void anAcknowledgedMessageSurvivesAKillOfTheSupervisor() throws Exception {
        var first = ForkcastServer.start("--users-file", users().toString());
        try (var bob = first.join()) {
            login(bob, "bob", "builder");
            bob.expect("*** you are logged in as bob");
            bob.send("/msg alice kept through a crash");
            bob.expect("*** alice is away; the message will be delivered when they log in");
            ForkcastServer.kill(first.pid(), "KILL");
            bob.expect("*** reconnecting to server...");
            try (var second = ForkcastServer.startAfter(first, "--users-file", users().toString())) {
                bob.expect("*** reconnected");
                try (var alice = second.join()) {
                    login(alice, "alice", "wonderland");
                    alice.expect("*** you are logged in as alice");
                    var away = history(alice, "--- 1 message while you were away ---");
                    assertTrue(away.getFirst().endsWith(" [bob] privately: kept through a crash"), away.toString());
                }
                bob.expectLine(l -> l.startsWith("*** alice (") && l.endsWith(") left"));
                // Bob resumed logged in: his name is still his.
                bob.send("/msg alice after the crash");
                bob.expect("*** alice is away; the message will be delivered when they log in");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void withoutAStoreHistoryAndKeptMessagesSaySo() throws Exception {
        try (var server = ForkcastServer.start("--users-file", users().toString(), "--store-url", "none");
                var client = server.join()) {
            client.send("/history");
            client.expect("*** history is not kept on this server (it has no store)");
            client.send("/msg alice hello");
            client.expect("*** alice is away, and messages are not kept for later on this server");
        }
    }
}
