package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static io.forkcast.it.Accounts.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.admin.AdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real server on a shared database, MariaDB 10.11 or PostgreSQL 15, each started by the test in a temp
 * directory: history across a supervisor restart, a message kept for an absent user, and the database stopped
 * while people chat (chat goes on, what waited is written when it is back, nothing acknowledged is lost).
 */
@Timeout(300)
class StoreServersIT {
    enum Db {
        MARIADB,
        POSTGRESQL
    }

    private static MariaDbServer mariadb;
    private static PostgresServer postgres;

    @TempDir
    Path dir;

    @AfterAll
    static void stopServers() {
        if (mariadb != null) {
            mariadb.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static DatabaseServer server(Db db) throws Exception {
        return switch (db) {
            case MARIADB -> {
                if (mariadb == null) {
                    mariadb = MariaDbServer.launch();
                }
                yield mariadb;
            }
            case POSTGRESQL -> {
                if (postgres == null) {
                    postgres = PostgresServer.launch();
                }
                yield postgres;
            }
        };
    }

    /** The settings that point a supervisor at a fresh database of {@code database}, password in a file. */
    private List<String> storeArgs(DatabaseServer database) throws Exception {
        Path password = Files.writeString(dir.resolve("store-password"), database.password() + "\n");
        var args = new ArrayList<String>();
        args.addAll(List.of("--store-url", database.newDatabase()));
        args.addAll(List.of("--store-user", database.user()));
        args.addAll(List.of("--store-password-file", password.toString()));
        Path users = dir.resolve("users.htpasswd");
        htpasswd(users, "alice", "wonderland", "-c");
        htpasswd(users, "bob", "builder", "-B");
        args.addAll(List.of("--users-file", users.toString()));
        return args;
    }

    private static List<String> between(TelnetClient client, String heading, String end) throws Exception {
        client.expect(heading);
        var lines = new ArrayList<String>();
        for (String line = client.readLine(); !line.equals(end); line = client.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void historyAndKeptMessagesSurviveARestartOfTheSupervisor(Db db) throws Exception {
        var args = storeArgs(server(db));
        try (var server = ForkcastServer.start(args);
                var bob = server.join()) {
            login(bob, "bob", "builder");
            bob.expect("*** you are logged in as bob");
            bob.send("stored in " + db + " ✓ 🎉");
            bob.send("/msg alice waiting in " + db);
            bob.expect("*** alice is away; the message will be delivered when they log in");
        }
        try (var server = ForkcastServer.start(args);
                var alice = server.join()) {
            var history = between(alice, "--- last 1 line of #lobby ---", "--- end of history ---");
            assertTrue(history.getFirst().endsWith(" [bob]: stored in " + db + " ✓ 🎉"), history.toString());
            login(alice, "alice", "wonderland");
            var away = between(alice, "--- 1 message while you were away ---", "--- end of messages ---");
            assertTrue(away.getFirst().endsWith(" [bob] privately: waiting in " + db), away.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void chatGoesOnWhileTheDatabaseIsDownAndWhatWaitedIsWrittenWhenItIsBack(Db db) throws Exception {
        var database = server(db);
        var args = storeArgs(database);
        try (var server = ForkcastServer.start(args);
                var bob = server.join();
                var carol = server.join()) {
            login(bob, "bob", "builder");
            bob.expect("*** you are logged in as bob");
            bob.send("before the outage");
            carol.expect("[bob] (" + bob.pid() + "): before the outage");
            // The store has answered once (a kept message): it is up.
            bob.send("/msg alice one");
            bob.expect("*** alice is away; the message will be delivered when they log in");

            database.stop();
            for (int i = 1; i <= 20; i++) {
                bob.send("during " + i);
            }
            // Live chat is untouched: every line reaches carol at once.
            for (int i = 1; i <= 20; i++) {
                carol.expect("[bob] (" + bob.pid() + "): during " + i);
            }
            bob.send("/msg alice two");
            server.awaitLog("event=store_down", Duration.ofSeconds(60));
            try (var admin = AdminClient.connect(server.runtimeDir().resolve("admin.sock"))) {
                assertEquals(1, admin.stats().get("store_down"));
                assertTrue(admin.stats().get("store_queued") >= 1, admin.stats().toString());
            }

            database.start();
            // The kept message is confirmed only once it is committed, after the database is back.
            bob.expectLine(
                    "*** alice is away; the message will be delivered when they log in"::equals,
                    Duration.ofSeconds(90));
            server.awaitLog("event=store_up", Duration.ofSeconds(90));
            assertEquals(
                    1,
                    server.log().stream()
                            .filter(l -> l.contains("event=store_down"))
                            .count(),
                    "logged once per change: " + server.logText());

            try (var alice = server.join()) {
                var history = between(alice, "--- last 20 lines of #lobby ---", "--- end of history ---");
                assertTrue(history.getLast().endsWith("[bob]: during 20"), history.toString());
                assertTrue(history.getFirst().endsWith("[bob]: during 1"), history.toString());
                alice.send("/history 200");
                var all = between(alice, "--- last 21 lines of #lobby ---", "--- end of history ---");
                assertTrue(all.getFirst().endsWith("[bob]: before the outage"), all.toString());
                for (int i = 1; i <= 20; i++) {
                    assertTrue(all.get(i).endsWith("[bob]: during " + i), all.toString());
                }
                login(alice, "alice", "wonderland");
                var away = between(alice, "--- 2 messages while you were away ---", "--- end of messages ---");
                assertTrue(away.getFirst().endsWith(" privately: one"), away.toString());
                assertTrue(away.get(1).endsWith(" privately: two"), away.toString());
            }
        }
    }
}
