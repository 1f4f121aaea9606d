package io.forkcast.it;

import static io.forkcast.it.Accounts.htpasswd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-and-forward of broker messages on the shared databases, MariaDB 10.11 and PostgreSQL 15, each started by
 * the test in a temp directory: messages sent while no receiver is on come to the next receiver once each, in order.
 */
@Timeout(300)
class BrokerStoreServersIT {
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

    private List<String> args(DatabaseServer database) throws Exception {
        Path password = Files.writeString(dir.resolve("store-password"), database.password() + "\n");
        Path users = dir.resolve("users.htpasswd");
        htpasswd(users, "manager", "Albasiko2020^", "-c");
        var args = new ArrayList<String>();
        args.addAll(List.of("--store-url", database.newDatabase()));
        args.addAll(List.of("--store-user", database.user()));
        args.addAll(List.of("--store-password-file", password.toString()));
        args.addAll(List.of("--users-file", users.toString(), "--broker-port", "0"));
        return args;
    }

    @Test
    void onMariaDb() throws Exception {
        if (mariadb == null) {
            mariadb = MariaDbServer.launch();
        }
        try (var server = ForkcastServer.start(args(mariadb))) {
            BrokerIT.storeAndForward(server, 11);
        }
    }

    @Test
    void onPostgreSql() throws Exception {
        if (postgres == null) {
            postgres = PostgresServer.launch();
        }
        try (var server = ForkcastServer.start(args(postgres))) {
            BrokerIT.storeAndForward(server, 11);
        }
    }
}
