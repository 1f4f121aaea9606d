package io.forkcast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real MariaDB server ({@code mariadbd}, Debian 12: 10.11) in a temp directory on a free loopback port, as the
 * current user ({@code --user=root} when that is root). Its default character set is latin1 on purpose: the
 * store must ask for utf8mb4 itself. Skips (or under CI fails) when MariaDB is not installed.
 */
final class MariaDbServer extends DatabaseServer {
    private final Path mariadbd;
    private final Path client;
    private final boolean root;

    private MariaDbServer(Path dir, Path mariadbd, Path client, boolean root) throws IOException {
        super(dir);
        this.mariadbd = mariadbd;
        this.client = client;
        this.root = root;
    }

    /** Initialises a data directory and starts the server with database {@code forkcast} and its user. */
    static MariaDbServer launch() throws Exception {
        var mariadbd = Tools.require("mariadbd", "the MariaDB store tests");
        var install = Tools.require("mariadb-install-db", "the MariaDB store tests");
        var client = Tools.require("mariadb", "the MariaDB store tests");
        boolean root = Tools.uid() == 0;
        var server = new MariaDbServer(Files.createTempDirectory("fc-mariadb"), mariadbd, client, root);
        try {
            var command = new ArrayList<>(List.of(
                    install.toString(),
                    "--no-defaults",
                    "--datadir=" + server.dir.resolve("data"),
                    "--auth-root-authentication-method=normal",
                    "--skip-test-db",
                    "--skip-name-resolve"));
            if (root) {
                command.add("--user=root");
            }
            run(command, server.dir, Duration.ofMinutes(2));
            server.startFresh();
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    @Override
    String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    @Override
    List<String> command() {
        var command = new ArrayList<>(List.of(
                mariadbd.toString(),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--skip-name-resolve",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=32M",
                "--character-set-server=latin1",
                "--collation-server=latin1_swedish_ci"));
        if (root) {
            command.add("--user=root");
        }
        return command;
    }

    @Override
    void signalStop(ProcessHandle server) throws IOException, InterruptedException {
        signal("TERM", server);
    }

    @Override
    String createDatabase(String name) {
        return "CREATE DATABASE " + name + "; GRANT ALL ON " + name + ".* TO '" + USER + "'@'%';";
    }

    @Override
    String createUser() {
        return "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';";
    }

    @Override
    void admin(String sql) throws Exception {
        run(
                List.of(
                        client.toString(),
                        "--no-defaults",
                        "--socket=" + dir.resolve("mysqld.sock"),
                        "-uroot",
                        "-e",
                        sql),
                dir,
                Duration.ofSeconds(30));
    }
}
