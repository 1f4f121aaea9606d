package io.forkcast.supervisor.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Creates and migrates the store's tables, one numbered step at a time, each recorded as a row of {@code
 * schema_version} (version, description, applied, UTC). A step runs in a transaction where the database allows
 * DDL in one (PostgreSQL); elsewhere its statements are written to be run again ({@code IF NOT EXISTS}), so a
 * step cut short is finished at the next start. Running it again is a no-op; a database that has a step this
 * build does not know is refused. Supervisors sharing a database migrate one at a time, under a lock of the
 * database's own (MariaDB GET_LOCK, PostgreSQL advisory lock). Runs on the store's writer thread.
 */
public final class Schema {
    /** One migration step: its number, what it does, and its statements for a dialect. */
    record Step(int version, String description, Function<Dialect, List<String>> statements) {}

    static final List<Step> STEPS = List.of(
            new Step(
                    1,
                    "data table: room history and offline messages, indexed by channel and by recipient",
                    Dialect::dataTable),
            new Step(2, "data.message_id: the broker's id of a message waiting for a receiver", Dialect::messageId),
            new Step(
                    3,
                    "mqtt tables: persistent sessions, their subscriptions and messages, retained messages",
                    Dialect::mqttTables),
            new Step(
                    4,
                    "mqtt_received: the clients' QoS 2 packet ids received and not yet released (PUBREL)",
                    Dialect::mqttReceived));

    /** The version this build brings a database to. */
    public static final int LATEST = STEPS.getLast().version();

    private Schema() {}

    /**
     * Brings the database behind {@code connection} to {@link #LATEST} and returns the steps it applied (empty
     * if it was there already). Leaves the connection with auto-commit off.
     */
    static List<Step> migrate(Connection connection, Dialect dialect) throws SQLException, SchemaException {
        return migrate(connection, dialect, LATEST);
    }

    /**
     * Brings the database to step {@code upTo} (at most {@link #LATEST}); a database past {@code upTo} but not
     * past LATEST is left as it is. Tests use it to make a database as an earlier release left it.
     */
    static List<Step> migrate(Connection connection, Dialect dialect, int upTo) throws SQLException, SchemaException {
        connection.setAutoCommit(false);
        // Several supervisors of a federation share one database and start together: one migrates, the others
        // wait for it and then find the steps applied.
        dialect.lockSchema(connection);
        List<Step> applied;
        try {
            applied = migrateLocked(connection, dialect, upTo);
        } catch (SQLException | SchemaException | RuntimeException e) {
            try {
                connection.rollback();
                dialect.unlockSchema(connection);
            } catch (SQLException lost) {
                e.addSuppressed(lost); // the lock goes with the connection, which the caller closes
            }
            throw e;
        }
        dialect.unlockSchema(connection);
        return applied;
    }

    private static List<Step> migrateLocked(Connection connection, Dialect dialect, int upTo)
            throws SQLException, SchemaException {
        try (var create = connection.prepareStatement(dialect.schemaVersionTable())) {
            create.execute();
        }
        connection.commit();
        int current = currentVersion(connection);
        connection.commit();
        if (current > LATEST) {
            throw new SchemaException("the database's schema is at version " + current + ", newer than this forkcast's "
                    + LATEST + "; run a newer forkcast, or point store_url at another database");
        }
        var applied = new ArrayList<Step>();
        for (var step : STEPS) {
            if (step.version() > current && step.version() <= upTo) {
                apply(connection, dialect, step);
                applied.add(step);
            }
        }
        return applied;
    }

    /** The highest step recorded, 0 for a fresh database. */
    static int currentVersion(Connection connection) throws SQLException {
        try (var query = connection.prepareStatement("SELECT MAX(version) FROM schema_version");
                var rows = query.executeQuery()) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static void apply(Connection connection, Dialect dialect, Step step) throws SQLException {
        try {
            for (var sql : step.statements().apply(dialect)) {
                try (var statement = connection.prepareStatement(sql)) {
                    statement.execute();
                }
            }
            try (var record = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)")) {
                record.setInt(1, step.version());
                record.setString(2, step.description());
                record.setObject(3, LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                record.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw new SQLException(
                    "schema step " + step.version() + " (" + step.description() + ") failed: " + e.getMessage(),
                    e.getSQLState(),
                    e);
        }
    }
}
