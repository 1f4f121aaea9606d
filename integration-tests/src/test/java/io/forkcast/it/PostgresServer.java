package io.forkcast.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian 12: 15) in a temp directory on a free loopback port. PostgreSQL refuses to run
 * as root, so as root it runs as {@code nobody} (setpriv) in a directory that user owns. Password
 * authentication (scram-sha-256) for everyone, a superuser {@code postgres} for set-up. Skips (or under CI
 * fails) when PostgreSQL is not installed.
 */
final class PostgresServer extends DatabaseServer {
    private static final int NOBODY = 65534;
    private static final String SUPERUSER_PASSWORD = "postgres-test-pw";

    private final Path bin;
    /** setpriv and its arguments when running as root, else empty. */
    private final List<String> asUser;

    private PostgresServer(Path dir, Path bin, List<String> asUser) throws IOException {
        super(dir);
        this.bin = bin;
        this.asUser = asUser;
    }

    /** Initialises a cluster and starts it with database {@code forkcast} owned by its user. */
    static PostgresServer launch() throws Exception {
        var bin = binDir();
        var asUser = new ArrayList<String>();
        var dir = Files.createTempDirectory("fc-pg");
        if (Tools.uid() == 0) {
            var setpriv = Tools.require("setpriv", "the PostgreSQL store tests (postgres refuses to run as root)");
            asUser.addAll(
                    List.of(setpriv.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"));
        }
        var server = new PostgresServer(dir, bin, asUser);
        try {
            var passwordFile = dir.resolve("superuser-password");
            Files.writeString(passwordFile, SUPERUSER_PASSWORD + "\n");
            if (!asUser.isEmpty()) {
                chownTree(dir);
            }
            var command = new ArrayList<>(asUser);
            command.addAll(List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-U",
                    "postgres",
                    "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync"));
            run(command, dir, Duration.ofMinutes(2));
            server.startFresh();
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    private static Path binDir() {
        var onPath = Tools.find("postgres");
        if (onPath != null && Files.isExecutable(onPath.resolveSibling("initdb"))) {
            return onPath.getParent();
        }
        var root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                        .max(Comparator.comparingInt(
                                v -> parseOr(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException ignored) {
                // Treated as not installed.
            }
        }
        Tools.unavailable("the PostgreSQL store tests need postgres and initdb (on PATH or in"
                + " /usr/lib/postgresql/<version>/bin); install postgresql-15 with scripts/ci-deps (as root)");
        return null;
    }

    private static int parseOr(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void chownTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (var path : files.toList()) {
                Files.setAttribute(path, "unix:uid", NOBODY);
                Files.setAttribute(path, "unix:gid", NOBODY);
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    @Override
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    List<String> command() {
        var command = new ArrayList<>(asUser);
        command.addAll(List.of(
                bin.resolve("postgres").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + dir,
                "-c",
                "max_connections=30",
                "-c",
                "shared_buffers=16MB"));
        return command;
    }

    @Override
    void signalStop(ProcessHandle server) throws IOException, InterruptedException {
        // SIGTERM (smart shutdown) would wait for the store to disconnect; SIGINT is the fast shutdown.
        signal("INT", server);
    }

    @Override
    String createDatabase(String name) {
        return "CREATE DATABASE " + name + " OWNER " + USER;
    }

    @Override
    String createUser() {
        return "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'";
    }

    @Override
    void admin(String sql) throws Exception {
        // Right after start the port may be open while the server still answers "starting up" (57P03).
        var connection = Await.until(
                START_TIMEOUT,
                "PostgreSQL to take the superuser's connection\n%s",
                () -> {
                    try {
                        return DriverManager.getConnection(jdbcUrl("postgres"), "postgres", SUPERUSER_PASSWORD);
                    } catch (SQLException e) {
                        if (!"57P03".equals(e.getSQLState())) {
                            throw new AssertionError("PostgreSQL refused the superuser: " + e.getMessage(), e);
                        }
                        return null;
                    }
                },
                this::output);
        try (connection;
                var statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}
