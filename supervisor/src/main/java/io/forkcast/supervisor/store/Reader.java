package io.forkcast.supervisor.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The store's reader thread: history, offline-message, waiting broker-message and MQTT queries on a connection of its own (auto-commit), so
 * that reads never wait behind a batch of writes. A read that fails costs the connection, and the next read
 * connects again. Owns the reader connection; runs on its own thread.
 */
final class Reader implements Runnable {
    /** Reads that may wait; past this a read is answered Refused. */
    static final int QUEUE_MAX = 1024;
    /** Most offline messages one read returns (offline_max keeps a user far below it). */
    static final int OFFLINE_READ_MAX = 10_000;
    /** How long a read made at start waits for the writer's first connection (and schema) before failing. */
    private static final Duration FIRST_ATTEMPT_WAIT = Duration.ofSeconds(Dialect.CONNECT_TIMEOUT_SECONDS + 1);

    final BlockingQueue<Read> queue = new ArrayBlockingQueue<>(QUEUE_MAX + 1);
    private final JdbcStore store;
    /** Null until the first read, and after a failed one. Reader thread only. */
    private Connection connection;

    Reader(JdbcStore store) {
        this.store = store;
    }

    @Override
    public void run() {
        try {
            while (true) {
                var read = queue.take();
                if (read instanceof Read.Stop) {
                    break;
                }
                serve(read);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
            for (var left = queue.poll(); left != null; left = queue.poll()) {
                fail(left, "store closed");
            }
        }
    }

    private void serve(Read read) throws InterruptedException {
        if (!store.health.awaitFirstAttempt(FIRST_ATTEMPT_WAIT) || store.health.state() == StoreState.DOWN) {
            fail(read, store.downReason());
            return;
        }
        // A connection kept from before the database went away fails its first use: one more try on a new one.
        boolean reused = connection != null;
        try {
            answer(read);
        } catch (SQLException | RuntimeException e) {
            disconnect();
            if (!reused) {
                fail(read, Health.firstLine(e.getMessage()));
                return;
            }
            try {
                answer(read);
            } catch (SQLException | RuntimeException again) {
                disconnect();
                fail(read, Health.firstLine(again.getMessage()));
            }
        }
    }

    private void answer(Read read) throws SQLException {
        if (connection == null) {
            var dialect = store.dialect;
            var settings = store.settings;
            connection = DriverManager.getConnection(
                    dialect.connectUrl(settings.url()), dialect.properties(settings.user(), settings.password()));
            dialect.prepare(connection);
        }
        switch (read) {
            case Read.History history -> store.post(history.then(), new Result.Ok<>(history(history)));
            case Read.Offline offline -> store.post(offline.then(), new Result.Ok<>(offline(offline.user())));
            case Read.Broker broker -> store.post(broker.then(), new Result.Ok<>(broker(broker)));
            case Read.Mqtt mqtt -> store.post(mqtt.then(), new Result.Ok<>(MqttRows.load(connection)));
            case Read.Stop stop -> {}
        }
    }

    private List<StoredLine> history(Read.History read) throws SQLException {
        var lines = new ArrayList<StoredLine>(read.limit());
        try (var query = connection.prepareStatement(Rows.HISTORY)) {
            query.setString(1, read.room());
            query.setInt(2, read.limit());
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    lines.add(Rows.line(rows));
                }
            }
        }
        return lines.reversed();
    }

    private List<OfflineMessage> offline(String user) throws SQLException {
        var messages = new ArrayList<OfflineMessage>();
        try (var query = connection.prepareStatement(Rows.OFFLINE)) {
            query.setString(1, user);
            query.setInt(2, OFFLINE_READ_MAX);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(Rows.offline(rows));
                }
            }
        }
        return messages;
    }

    private List<BrokerMessage> broker(Read.Broker read) throws SQLException {
        var messages = new ArrayList<BrokerMessage>(Math.min(read.limit(), OFFLINE_READ_MAX));
        try (var query = connection.prepareStatement(Rows.BROKER_WAITING)) {
            query.setString(1, read.channel());
            query.setInt(2, read.limit());
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(Rows.broker(rows));
                }
            }
        }
        return messages;
    }

    private void fail(Read read, String reason) {
        switch (read) {
            case Read.History history -> store.post(history.then(), new Result.Failed<>(reason));
            case Read.Offline offline -> store.post(offline.then(), new Result.Failed<>(reason));
            case Read.Broker broker -> store.post(broker.then(), new Result.Failed<>(reason));
            case Read.Mqtt mqtt -> store.post(mqtt.then(), new Result.Failed<>(reason));
            case Read.Stop stop -> {}
        }
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // A broken connection may not close cleanly; it is dropped either way.
            }
            connection = null;
        }
    }
}
