package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real database server a test starts in a temp directory, on a free loopback port: one database and one user
 * with a password for the store, {@link #stop()} and {@link #start()} again on the same data (outage tests), and on
 * close the process tree killed and the directory deleted. Never the machine's own service. Subclasses say how
 * to initialise, run and stop their server.
 */
abstract class DatabaseServer implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    static final String DATABASE = "forkcast";
    static final String USER = "forkcast";
    static final String PASSWORD = "store-test-pw";

    /** The temp directory: data, socket, logs. */
    final Path dir;

    final int port;
    private final Thread cleanup = new Thread(this::close, "it-db-cleanup");
    /** The running server, null while stopped. */
    private ChildProcess process;

    private int databases;

    DatabaseServer(Path dir) throws IOException {
        this.dir = dir;
        this.port = Tools.freePort();
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** {@code jdbc:<kind>://127.0.0.1:<port>/<database>} */
    abstract String jdbcUrl(String database);

    /** The command line that runs the server in the foreground. */
    abstract List<String> command();

    /** Stops the server the way its operator would (MariaDB: SIGTERM; PostgreSQL: SIGINT, fast shutdown). */
    abstract void signalStop(ProcessHandle server) throws IOException, InterruptedException;

    /** Runs {@code sql} as the server's administrator (DDL with literals: test set-up only). */
    abstract void admin(String sql) throws Exception;

    String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    String user() {
        return USER;
    }

    String password() {
        return PASSWORD;
    }

    /** A fresh, empty database owned by the store's user, for one test; its JDBC url. */
    String newDatabase() throws Exception {
        databases++;
        var name = "t" + databases;
        admin(createDatabase(name));
        return jdbcUrl(name);
    }

    /** The administrator's SQL that makes database {@code name}, owned by or granted to the store's user. */
    abstract String createDatabase(String name);

    /** The administrator's SQL that makes the store's user with its password. */
    abstract String createUser();

    /** Starts the server on its data directory and waits until the store's user can run a query. */
    final void start() throws Exception {
        if (process != null) {
            throw new IllegalStateException(getClass().getSimpleName() + " already running");
        }
        process = ChildProcess.start(command(), Map.of(), dir);
        awaitQuery(jdbcUrl());
    }

    /** Starts the server for the first time: waits for it, then makes the store's database and user. */
    final void startFresh() throws Exception {
        process = ChildProcess.start(command(), Map.of(), dir);
        awaitPort();
        admin(createUser());
        admin(createDatabase(DATABASE));
        awaitQuery(jdbcUrl());
    }

    /** Stops the server and waits until its process has exited. */
    final void stop() throws Exception {
        var running = process;
        if (running == null) {
            return;
        }
        signalStop(running.process().toHandle());
        running.awaitExit(STOP_TIMEOUT);
        running.close();
        process = null;
    }

    boolean running() {
        return process != null && process.process().isAlive();
    }

    String output() {
        return process == null ? "(stopped)" : process.outputText();
    }

    private void awaitPort() {
        Await.until(
                START_TIMEOUT,
                getClass().getSimpleName() + " to accept connections on port " + port + "\n%s",
                () -> {
                    checkAlive();
                    try (var socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                        return Boolean.TRUE;
                    } catch (IOException notYet) {
                        return null;
                    }
                },
                this::output);
    }

    private void awaitQuery(String url) {
        Await.until(
                START_TIMEOUT,
                getClass().getSimpleName() + " to answer a query as " + USER + "\n%s",
                () -> {
                    checkAlive();
                    try (var connection = DriverManager.getConnection(url, USER, PASSWORD);
                            var query = connection.prepareStatement("SELECT 1");
                            var rows = query.executeQuery()) {
                        return rows.next() ? Boolean.TRUE : null;
                    } catch (SQLException notYet) {
                        return null;
                    }
                },
                this::output);
    }

    private void checkAlive() {
        if (process != null && !process.process().isAlive()) {
            fail(getClass().getSimpleName() + " exited with "
                    + process.process().exitValue() + "\n" + output());
        }
    }

    /** Runs a set-up program to its end; fails with its output if it does not succeed. */
    static void run(List<String> command, Path directory, Duration timeout) throws Exception {
        try (var child = ChildProcess.start(command, Map.of(), directory)) {
            int exit = child.awaitExit(timeout);
            if (exit != 0) {
                fail(String.join(" ", command) + " exited with " + exit + "\n" + child.outputText());
            }
        }
    }

    static void signal(String name, ProcessHandle handle) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", "-" + name, Long.toString(handle.pid()))
                .inheritIO()
                .start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -" + name + " " + handle.pid() + " failed");
        }
    }

    @Override
    public void close() {
        var running = process;
        process = null;
        if (running != null) {
            running.close();
            while (running.process().isAlive()) {
                LockSupport.parkNanos(10_000_000);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temp directory; best effort.
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself.
        }
    }
}
