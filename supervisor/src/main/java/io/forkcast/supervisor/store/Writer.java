package io.forkcast.supervisor.store;

import io.forkcast.protocol.log.EventLog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The store's writer thread: takes what is queued (up to {@link #BATCH_MAX} writes), writes it in one
 * transaction, commits, and only then has the answers posted. A lost connection keeps the batch and retries it
 * after a backoff ({@code retryFirst} doubling to {@code retryMax}) on a new connection; a write the database
 * itself refuses is found by retrying the batch one write at a time, and only that one fails. Owns the writer
 * connection; runs on its own thread.
 *
 * <pre>
 *   connect+migrate ──ok──▶ take a batch ──▶ write, COMMIT ──▶ post answers ──┐
 *        ▲   │ fail                 ▲                 │ connection lost       │
 *        │   ▼                      └─────────────────┼───────────────────────┘
 *        └── backoff ◀──────────────── (batch kept) ──┘
 *   STOP in the queue: write what is left until the close deadline, fail the rest, close the connection
 * </pre>
 */
final class Writer implements Runnable {
    /** Writes per transaction: large enough to amortise a commit, small enough that one batch is quick. */
    static final int BATCH_MAX = 1000;
    /** How long the writer idles before it checks that its connection still works. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Lines appended to a room between two prunes of its history down to history_keep. */
    static final int PRUNE_EVERY = 100;

    private final JdbcStore store;
    /** The writer connection, null while there is none. Writer thread only. */
    private Connection connection;
    /** INSERT, COUNT and DELETE, prepared once per connection (after the schema is migrated). */
    private PreparedStatement insert;

    private PreparedStatement countOffline;
    private PreparedStatement deleteRows;
    private PreparedStatement pruneFrom;
    private PreparedStatement prune;
    /** Lines appended to each room since its last prune, and the rooms due one. Writer thread only. */
    private final Map<String, Integer> appended = new HashMap<>();

    private final Set<String> pruneDue = new LinkedHashSet<>();
    /** Whether a failed prune was logged: told once, retried at the room's next turn. */
    private boolean pruneFailureTold;
    /** The wait before the next retry; 0 after a success. */
    private long backoffNanos;
    /** Set once the schema is refused: every write then fails with this. */
    private String refusal;
    /** Set once STOP was taken from the queue. */
    private boolean stopping;

    Writer(JdbcStore store) {
        this.store = store;
    }

    @Override
    public void run() {
        var batch = new ArrayList<Write>();
        while (true) {
            try {
                if (connection == null && refusal == null && !stopping && !connect()) {
                    pause();
                    continue;
                }
                batch.clear();
                var first = stopping ? store.writes.poll() : store.writes.poll(IDLE_CHECK_NANOS, TimeUnit.NANOSECONDS);
                if (first == null) {
                    if (stopping) {
                        break;
                    }
                    checkIdleConnection();
                    continue;
                }
                batch.add(first);
                store.writes.drainTo(batch, BATCH_MAX - 1);
                if (batch.removeIf(w -> w instanceof Write.Stop)) {
                    stopping = true;
                }
                write(batch);
            } catch (InterruptedException e) {
                // Only close() interrupts, and only after its deadline: fail what is left.
                stopping = true;
                store.failAll(batch, "store closed before the write was committed");
                batch.clear();
            } catch (RuntimeException e) {
                // A driver bug must not end the writer: it costs the connection, as a lost one would.
                lost(e.toString());
            }
        }
        var left = new ArrayList<Write>();
        store.writes.drainTo(left);
        left.removeIf(w -> w instanceof Write.Stop);
        store.failAll(left, "store closed before the write was committed");
        disconnect();
    }

    /** Writes {@code batch} until every write in it has its answer. */
    private void write(List<Write> batch) throws InterruptedException {
        List<Write> rest = batch;
        boolean oneByOne = false;
        while (!rest.isEmpty()) {
            if (refusal != null) {
                store.failAll(rest, refusal);
                return;
            }
            if (stopping && store.pastCloseDeadline()) {
                store.failAll(rest, "store closed before the write was committed");
                return;
            }
            var chunk = oneByOne ? rest.subList(0, 1) : rest;
            try {
                if (connection == null && !connect()) {
                    if (stopping) {
                        store.failAll(rest, "store closed while the database was unreachable");
                        return;
                    }
                    pause();
                    continue;
                }
                var results = transaction(chunk);
                backoffNanos = 0;
                store.committed(chunk, results);
                rest = rest.subList(chunk.size(), rest.size());
                prune();
            } catch (SQLException e) {
                rollbackQuietly();
                if (connectionLost(e)) {
                    lost(e.getMessage());
                    pause();
                } else if (e instanceof SQLTransientException || isRollback(e)) {
                    pause();
                } else if (!oneByOne && chunk.size() > 1) {
                    oneByOne = true;
                } else {
                    store.failAll(chunk, Health.firstLine(e.getMessage()));
                    store.health.rejected(e.getMessage());
                    rest = rest.subList(chunk.size(), rest.size());
                }
            } catch (RuntimeException e) {
                // A driver bug must not end the writer or lose the batch: drop the connection and retry.
                rollbackQuietly();
                lost(e.toString());
                pause();
            }
        }
    }

    /** Writes {@code chunk} in one transaction and commits it; the answer of each write, null for a delete. */
    private List<Result<Long>> transaction(List<Write> chunk) throws SQLException {
        var results = new ArrayList<Result<Long>>(chunk.size());
        var lines = new ArrayList<Integer>();
        for (var write : chunk) {
            switch (write) {
                case Write.Append append -> {
                    countForPrune(append.line().room());
                    Rows.bindLine(insert, append.line());
                    insert.addBatch();
                    lines.add(results.size());
                    results.add(null);
                }
                case Write.Broker broker -> {
                    // Batched with the lines: a burst of broker messages is one INSERT batch, ids in call order.
                    Rows.bindBroker(insert, broker.message());
                    insert.addBatch();
                    lines.add(results.size());
                    results.add(null);
                }
                case Write.Offline offline -> {
                    insertLines(lines, results);
                    results.add(storeOffline(offline));
                }
                case Write.Mqtt mqtt -> {
                    insertLines(lines, results);
                    results.add(MqttRows.write(connection, mqtt.write()));
                }
                case Write.Delete delete -> {
                    insertLines(lines, results);
                    for (var id : delete.ids()) {
                        deleteRows.setLong(1, id);
                        deleteRows.setString(2, delete.kind());
                        deleteRows.addBatch();
                    }
                    deleteRows.executeBatch();
                    results.add(null);
                }
                case Write.Stop stop -> results.add(null);
            }
        }
        insertLines(lines, results);
        connection.commit();
        return results;
    }

    private void countForPrune(String room) {
        if (store.settings.historyKeep() > 0 && appended.merge(room, 1, Integer::sum) >= PRUNE_EVERY) {
            appended.remove(room);
            pruneDue.add(room);
        }
    }

    /**
     * Deletes the history lines of the rooms due beyond their history_keep newest, in a transaction of its own after
     * the writes were committed: a prune that fails costs no write, and is tried again at the room's next turn.
     */
    private void prune() {
        if (pruneDue.isEmpty() || connection == null) {
            return;
        }
        int keep = store.settings.historyKeep();
        try {
            for (String room : pruneDue) {
                pruneFrom.setString(1, room);
                pruneFrom.setInt(2, keep);
                try (var rows = pruneFrom.executeQuery()) {
                    if (rows.next()) {
                        prune.setString(1, room);
                        prune.setLong(2, rows.getLong(1));
                        prune.executeUpdate();
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            if (connectionLost(e)) {
                lost(e.getMessage());
            } else if (!pruneFailureTold) {
                pruneFailureTold = true;
                store.log.warn("event=store_prune_failed error=" + EventLog.quote(Health.firstLine(e.getMessage())));
            }
        }
        pruneDue.clear();
    }

    /** Runs the INSERTs batched so far (lines, broker messages); each row's id goes to its place in {@code results}. */
    private void insertLines(List<Integer> lines, List<Result<Long>> results) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        insert.executeBatch();
        try (var keys = insert.getGeneratedKeys()) {
            for (int index : lines) {
                if (!keys.next()) {
                    throw new SQLException("the driver returned fewer generated ids than rows: " + lines.size());
                }
                results.set(index, new Result.Ok<>(keys.getLong(1)));
            }
        }
        lines.clear();
    }

    private Result<Long> storeOffline(Write.Offline offline) throws SQLException {
        countOffline.setString(1, offline.message().recipient());
        try (var rows = countOffline.executeQuery()) {
            if (rows.next() && rows.getLong(1) >= offline.offlineMax()) {
                return new Result.Full<>();
            }
        }
        Rows.bindOffline(insert, offline.message());
        insert.executeUpdate();
        try (var keys = insert.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the driver returned no generated id for an offline message");
            }
            return new Result.Ok<>(keys.getLong(1));
        }
    }

    /** One attempt to connect and bring the schema up to date; false (and logged once) if it failed. */
    private boolean connect() {
        var dialect = store.dialect;
        var settings = store.settings;
        try {
            connection = DriverManager.getConnection(
                    dialect.connectUrl(settings.url()), dialect.properties(settings.user(), settings.password()));
            dialect.prepare(connection);
            var applied = Schema.migrate(connection, dialect);
            if (!applied.isEmpty()) {
                store.log.info("event=store_schema db=" + dialect.word() + " version=" + Schema.LATEST + " applied="
                        + applied.size());
            }
            insert = dialect == Dialect.POSTGRESQL
                    ? connection.prepareStatement(Rows.INSERT, new String[] {"data_id"})
                    : connection.prepareStatement(Rows.INSERT, Statement.RETURN_GENERATED_KEYS);
            countOffline = connection.prepareStatement(Rows.COUNT_OFFLINE);
            deleteRows = connection.prepareStatement(Rows.DELETE);
            pruneFrom = connection.prepareStatement(Rows.PRUNE_FROM);
            prune = connection.prepareStatement(Rows.PRUNE);
            backoffNanos = 0;
            store.health.connected(store.queued());
            return true;
        } catch (SQLException e) {
            lost(e.getMessage());
            return false;
        } catch (SchemaException e) {
            refusal = e.getMessage();
            store.health.refused(refusal);
            disconnect();
            return false;
        }
    }

    private void checkIdleConnection() {
        try {
            if (connection != null && !connection.isValid(Dialect.CONNECT_TIMEOUT_SECONDS)) {
                lost("the connection stopped answering");
            }
        } catch (SQLException e) {
            lost(e.getMessage());
        }
    }

    private void lost(String error) {
        store.health.lost(error);
        disconnect();
    }

    /** Waits out the backoff (retryFirst doubling to retryMax); close() cuts it short. */
    private void pause() throws InterruptedException {
        var settings = store.settings;
        backoffNanos = backoffNanos == 0
                ? settings.retryFirst().toNanos()
                : Math.min(backoffNanos * 2, settings.retryMax().toNanos());
        store.retried();
        if (stopping) {
            // Closing: wait no longer than the close deadline allows (write() then fails what is left).
            long leftNanos = Math.max(0, -store.nanosPastCloseDeadline());
            TimeUnit.NANOSECONDS.sleep(Math.min(backoffNanos, leftNanos));
        } else if (store.stop.await(backoffNanos, TimeUnit.NANOSECONDS)) {
            stopping = true;
        }
    }

    /** True if {@code e} means the connection is gone, not that the database refused this statement. */
    private boolean connectionLost(SQLException e) {
        if (e instanceof SQLNonTransientConnectionException
                || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return true;
        }
        var state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return true;
        }
        try {
            return connection == null || !connection.isValid(Dialect.CONNECT_TIMEOUT_SECONDS);
        } catch (SQLException invalid) {
            return true;
        }
    }

    /** Deadlock or serialization failure (SQLSTATE class 40): the transaction is worth running again. */
    private static boolean isRollback(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("40");
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is being given up on anyway.
        }
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // A broken connection may not close cleanly; it is dropped either way.
            }
        }
        connection = null;
        insert = null;
        countOffline = null;
        deleteRows = null;
        pruneFrom = null;
        prune = null;
    }

    /** From close() after its deadline: unblocks a statement waiting on a hung server. */
    void abort() {
        var current = connection;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            } catch (SQLException ignored) {
                // Nothing more can be done for a connection that will not abort.
            }
        }
    }
}
