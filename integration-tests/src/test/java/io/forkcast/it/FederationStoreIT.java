package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;
import static io.forkcast.it.Accounts.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store of a federation (docs/federation.md, "The store"): the embedded H2 file is refused with one line and
 * exit 2, and two nodes started at the same moment on one fresh MariaDB or PostgreSQL database (each started by
 * the test) migrate it once between them and then share room history and messages kept for absent users.
 */
@Timeout(300)
class FederationStoreIT {
    enum Db {
        MARIADB,
        POSTGRESQL
    }

    private static NatsCluster nats;
    private static MariaDbServer mariadb;
    private static PostgresServer postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void cluster() throws Exception {
        nats = NatsCluster.launch(1);
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable each : new AutoCloseable[] {nats, mariadb, postgres}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception ignored) {
                // Best effort; each server's own shutdown hook kills it too.
            }
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

    @Test
    void theEmbeddedStoreIsRefusedInFederationModeWithOneLine() throws Exception {
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
                nats.url(0),
                "--node-name",
                "h2");
        assertEquals(2, result.code(), result.toString());
        var lines = result.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), result.stderr());
        assertTrue(lines.getFirst().contains("cannot serve a federation"), result.stderr());
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void twoNodesStartedTogetherOnOneDatabaseMigrateItOnceAndShareHistoryAndKeptMessages(Db db) throws Exception {
        var database = server(db);
        String url = database.newDatabase();
        Path password = Files.writeString(dir.resolve("store-password"), database.password() + "\n");
        Path users = dir.resolve("users.htpasswd");
        htpasswd(users, "alice", "wonderland", "-c");
        htpasswd(users, "bob", "builder", "-B");
        htpasswd(users, "carol", "singer", "-B");
        var a = CompletableFuture.supplyAsync(() -> start("a", url, password, users));
        var b = CompletableFuture.supplyAsync(() -> start("b", url, password, users));
        try (var nodeA = a.join();
                var nodeB = b.join()) {
            // Both migrated the fresh database at once: one applied the steps, the other found them applied.
            var logs = new ArrayList<String>();
            logs.addAll(nodeA.log());
            logs.addAll(nodeB.log());
            assertEquals(
                    1,
                    logs.stream().filter(l -> l.contains("event=store_schema ")).count(),
                    nodeA.logText() + "\n" + nodeB.logText());
            assertEquals(
                    0,
                    logs.stream()
                            .filter(l -> l.contains("event=store_down") || l.contains("event=store_refused"))
                            .count(),
                    "neither failed a step the other was applying:\n" + nodeA.logText() + "\n" + nodeB.logText());
            try (var bob = nodeB.join()) {
                login(bob, "bob", "builder");
                bob.expect("*** you are logged in as bob");
                bob.send("shared in " + db);
                bob.send("/msg carol kept in " + db);
                bob.expect("*** carol is away; the message will be delivered when they log in");
                // The line is committed once the next store answer comes (one writer, in order).
                bob.send("/msg alice second");
                bob.expect("*** alice is away; the message will be delivered when they log in");
            }
            try (var carol = nodeA.join()) {
                carol.expect("--- last 1 line of #lobby ---");
                assertTrue(carol.readLine().endsWith(" [bob]: shared in " + db), carol.recent());
                carol.expect("--- end of history ---");
                login(carol, "carol", "singer");
                carol.expect("--- 1 message while you were away ---");
                assertTrue(carol.readLine().endsWith(" [bob] privately: kept in " + db), carol.recent());
            }
        }
    }

    private ForkcastServer start(String node, String url, Path password, Path users) {
        var args = new ArrayList<>(List.of(
                "--federation-url",
                nats.url(0),
                "--node-name",
                node,
                "--store-url",
                url,
                "--store-user",
                DatabaseServer.USER,
                "--store-password-file",
                password.toString(),
                "--users-file",
                users.toString()));
        try {
            var server = ForkcastServer.start(args);
            server.awaitLog("event=store_up");
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
