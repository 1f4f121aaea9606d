package io.forkcast.supervisor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path dir;

    private Connection connect() throws SQLException {
        var url = Dialect.H2.connectUrl("jdbc:h2:file:" + dir.resolve("forkcast"));
        return DriverManager.getConnection(url, Dialect.H2.properties(null, null));
    }

    private static List<String> versions(Connection connection) throws SQLException {
        var rows = new ArrayList<String>();
        try (var query = connection.prepareStatement(
                        "SELECT version, description, applied FROM schema_version ORDER BY version");
                var result = query.executeQuery()) {
            while (result.next()) {
                rows.add(result.getInt(1) + " " + result.getString(2) + " " + result.getObject(3, LocalDateTime.class));
            }
        }
        return rows;
    }

    @Test
    void freshDatabaseGetsEveryStepRecordedWithItsTimeInUtc() throws Exception {
        var before = Instant.now().minusSeconds(1);
        try (var connection = connect()) {
            var applied = Schema.migrate(connection, Dialect.H2);

            assertEquals(Schema.STEPS, applied);
            assertEquals(Schema.LATEST, Schema.currentVersion(connection));
            var rows = versions(connection);
            assertEquals(Schema.STEPS.size(), rows.size(), rows.toString());
            try (var query = connection.prepareStatement("SELECT applied FROM schema_version WHERE version = 1");
                    var result = query.executeQuery()) {
                assertTrue(result.next());
                var applied1 = Rows.millis(result.getObject(1, LocalDateTime.class));
                assertTrue(
                        applied1 >= before.toEpochMilli()
                                && applied1 <= Instant.now().plusSeconds(1).toEpochMilli(),
                        "applied " + Instant.ofEpochMilli(applied1) + " is not now in UTC");
            }
        }
    }

    @Test
    void freshSchemaTakesSeedColumnsAndTheStoreRows() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2);
            try (var insert = connection.prepareStatement(Rows.INSERT)) {
                Rows.bindLine(
                        insert, new StoredLine(0, "lobby", 1_700_000_000_123L, "say", "ann", null, "n1", 7, "hi"));
                insert.executeUpdate();
            }
            connection.commit();
            // Seed 000's own query shape still works on the table.
            try (var query = connection.prepareStatement(
                    "SELECT data_id, channel, data, created FROM data WHERE channel = ? ORDER BY data_id")) {
                query.setString(1, "lobby");
                try (var result = query.executeQuery()) {
                    assertTrue(result.next());
                    assertEquals("hi", result.getString("data"));
                    assertEquals(Rows.utc(1_700_000_000_123L), result.getObject("created", LocalDateTime.class));
                }
            }
            try (var query = connection.prepareStatement(Rows.HISTORY)) {
                query.setString(1, "lobby");
                query.setInt(2, 5);
                try (var result = query.executeQuery()) {
                    assertTrue(result.next());
                    var line = Rows.line(result);
                    assertEquals("hi", line.text());
                    assertEquals(1_700_000_000_123L, line.createdMillis());
                }
            }
        }
    }

    @Test
    void runningAgainIsANoOpAndKeepsTheData() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2);
            try (var insert = connection.prepareStatement(Rows.INSERT)) {
                Rows.bindOffline(insert, new OfflineMessage(0, "bob", 1L, "ann", "ann", "later"));
                insert.executeUpdate();
            }
            connection.commit();
        }
        try (var connection = connect()) {
            var rowsBefore = versions(connection);

            assertEquals(List.of(), Schema.migrate(connection, Dialect.H2));
            assertEquals(List.of(), Schema.migrate(connection, Dialect.H2));

            assertEquals(rowsBefore, versions(connection));
            try (var query = connection.prepareStatement("SELECT COUNT(*) FROM data");
                    var result = query.executeQuery()) {
                assertTrue(result.next());
                assertEquals(1, result.getInt(1));
            }
        }
    }

    @Test
    void databaseNewerThanTheCodeIsRefusedSayingBothVersions() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2);
            try (var insert = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied) VALUES (?, 'from the future', ?)")) {
                insert.setInt(1, Schema.LATEST + 1);
                insert.setObject(2, Rows.utc(System.currentTimeMillis()));
                insert.executeUpdate();
            }
            connection.commit();

            var refused = assertThrows(SchemaException.class, () -> Schema.migrate(connection, Dialect.H2));

            assertTrue(
                    refused.getMessage()
                            .contains(
                                    "version " + (Schema.LATEST + 1) + ", newer than this forkcast's " + Schema.LATEST),
                    refused.getMessage());
            assertEquals(Schema.LATEST + 1, Schema.currentVersion(connection));
        }
    }

    @Test
    void h2UrlGetsImmediateWritesAndNoShutdownHookUnlessItSaysOtherwise() {
        assertEquals("jdbc:h2:file:/x;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", Dialect.H2.connectUrl("jdbc:h2:file:/x"));
        assertEquals(
                "jdbc:h2:file:/x;write_delay=100;DB_CLOSE_ON_EXIT=FALSE",
                Dialect.H2.connectUrl("jdbc:h2:file:/x;write_delay=100"));
        assertEquals("jdbc:mariadb://h/db", Dialect.MARIADB.connectUrl("jdbc:mariadb://h/db"));
    }

    private static List<String> columns(Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (var rows = connection.getMetaData().getColumns(null, null, "DATA", null)) {
            while (rows.next()) {
                names.add(rows.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    @Test
    void aDatabaseAtStepOneMigratesToStepTwoKeepingItsRows() throws Exception {
        try (var connection = connect()) {
            assertEquals(List.of(Schema.STEPS.getFirst()), Schema.migrate(connection, Dialect.H2, 1));
            assertTrue(
                    !columns(connection).contains("message_id"),
                    columns(connection).toString());
            // A row as the previous release wrote it: its INSERT had no message_id.
            try (var insert = connection.prepareStatement("INSERT INTO data (channel, recipient, kind, data, created,"
                    + " sender, sender_user, node, client_id) VALUES ('lobby', NULL, 'say', 'old', ?, 'ann', NULL,"
                    + " 'n1', 3)")) {
                insert.setObject(1, Rows.utc(5));
                insert.executeUpdate();
            }
            connection.commit();
        }
        try (var connection = connect()) {
            assertEquals(Schema.STEPS.subList(1, 2), Schema.migrate(connection, Dialect.H2, 2));

            assertEquals(2, Schema.currentVersion(connection));
            assertTrue(
                    columns(connection).contains("message_id"),
                    columns(connection).toString());
            try (var query = connection.prepareStatement(Rows.HISTORY)) {
                query.setString(1, "lobby");
                query.setInt(2, 5);
                try (var result = query.executeQuery()) {
                    assertTrue(result.next());
                    assertEquals("old", Rows.line(result).text());
                }
            }
            try (var query = connection.prepareStatement("SELECT message_id FROM data");
                    var result = query.executeQuery()) {
                assertTrue(result.next());
                assertEquals(null, result.getObject(1));
            }
        }
    }

    @Test
    void aDatabaseAtStepTwoMigratesToStepThreeKeepingItsRowsAndTakesMqttRows() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2, 2);
            var message = new BrokerMessage(0, 42, "sms", 1_700_000_000_321L, "sender1", null, 4, "{}");
            try (var insert = connection.prepareStatement(Rows.INSERT)) {
                Rows.bindBroker(insert, message);
                insert.executeUpdate();
            }
            connection.commit();
        }
        try (var connection = connect()) {
            assertEquals(Schema.STEPS.subList(2, 3), Schema.migrate(connection, Dialect.H2, 3));
            assertEquals(3, Schema.currentVersion(connection));
            try (var query = connection.prepareStatement(Rows.BROKER_WAITING)) {
                query.setString(1, "sms");
                query.setInt(2, 5);
                try (var result = query.executeQuery()) {
                    assertTrue(result.next());
                    assertEquals(42, Rows.broker(result).messageId());
                }
            }
            MqttRows.write(
                    connection,
                    new MqttWrite.SaveSession(
                            new MqttState.Session("c".repeat(MqttRows.CLIENT_ID_MAX), null, 5, 60, 1, List.of())));
            MqttRows.write(
                    connection,
                    new MqttWrite.Retain(new MqttState.Retained(
                            "t".repeat(MqttRows.TOPIC_KEY_MAX), new byte[] {1}, 0, null, MqttState.NEVER)));
            connection.commit();
            Schema.migrate(connection, Dialect.H2); // the load reads step 4's table too
            var state = MqttRows.load(connection);
            assertEquals(1, state.sessions().size());
            assertEquals(1, state.retained().size());
        }
    }

    @Test
    void stepThreeCutShortIsFinishedAtTheNextStart() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2, 2);
            // As MariaDB leaves it when the process dies between two of the step's statements (each commits there).
            try (var statement =
                    connection.prepareStatement(Dialect.H2.mqttTables().getFirst())) {
                statement.execute();
            }
            connection.commit();

            assertEquals(Schema.STEPS.subList(2, 3), Schema.migrate(connection, Dialect.H2, 3));
            assertEquals(3, Schema.currentVersion(connection));
        }
    }

    @Test
    void aDatabaseAtStepThreeMigratesToStepFourKeepingItsMqttRowsAndTakesQos2Ids() throws Exception {
        var session = new MqttState.Session("dev-1", null, 5, 600, MqttState.NEVER, List.of());
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2, 3);
            MqttRows.write(connection, new MqttWrite.SaveSession(session));
            connection.commit();
        }
        try (var connection = connect()) {
            assertEquals(Schema.STEPS.subList(3, 4), Schema.migrate(connection, Dialect.H2));
            assertEquals(4, Schema.currentVersion(connection));
            assertEquals(List.of(session), MqttRows.load(connection).sessions());
            String longId = "c".repeat(MqttRows.CLIENT_ID_MAX);
            MqttRows.write(connection, new MqttWrite.Received(longId, 65535));
            MqttRows.write(connection, new MqttWrite.Received(longId, 65535)); // sent again: still one row
            MqttRows.write(connection, new MqttWrite.Received("dev-1", 7));
            MqttRows.write(connection, new MqttWrite.Received("dev-1", 8));
            MqttRows.write(connection, new MqttWrite.Released("dev-1", 7));
            connection.commit();
            assertEquals(
                    List.of(new MqttState.Received(longId, 65535), new MqttState.Received("dev-1", 8)),
                    MqttRows.load(connection).received().stream()
                            .sorted((a, b) -> a.clientId().compareTo(b.clientId()))
                            .toList());
            MqttRows.write(connection, new MqttWrite.EndSession("dev-1"));
            connection.commit();
            assertEquals(
                    List.of(new MqttState.Received(longId, 65535)),
                    MqttRows.load(connection).received());
        }
    }

    @Test
    void stepTwoCutShortAfterItsDdlIsFinishedAtTheNextStart() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2, 1);
            // As MariaDB leaves it when the process dies after the ALTER (DDL commits there) and before the record.
            for (var sql : Dialect.H2.messageId()) {
                try (var statement = connection.prepareStatement(sql)) {
                    statement.execute();
                }
            }
            connection.commit();

            assertEquals(Schema.STEPS.subList(1, Schema.STEPS.size()), Schema.migrate(connection, Dialect.H2));
            assertEquals(Schema.LATEST, Schema.currentVersion(connection));
            assertEquals(
                    1, columns(connection).stream().filter("message_id"::equals).count());
        }
    }

    @Test
    void brokerRowsKeepTheirMessageIdAndAreReadByChannel() throws Exception {
        try (var connection = connect()) {
            Schema.migrate(connection, Dialect.H2);
            var message = new BrokerMessage(0, 42, "sms", 1_700_000_000_321L, "sender1", null, 4, "{\"to\":\"x\"}");
            try (var insert = connection.prepareStatement(Rows.INSERT)) {
                Rows.bindBroker(insert, message);
                insert.executeUpdate();
            }
            connection.commit();
            try (var query = connection.prepareStatement(Rows.BROKER_WAITING)) {
                query.setString(1, "sms");
                query.setInt(2, 5);
                try (var result = query.executeQuery()) {
                    assertTrue(result.next());
                    var read = Rows.broker(result);
                    assertEquals(
                            message,
                            new BrokerMessage(
                                    0,
                                    read.messageId(),
                                    read.channel(),
                                    read.createdMillis(),
                                    read.senderUser(),
                                    read.node(),
                                    read.clientId(),
                                    read.data()));
                    assertTrue(read.rowId() > 0);
                }
            }
            try (var query = connection.prepareStatement("SELECT sender, recipient FROM data WHERE kind = 'broker'");
                    var result = query.executeQuery()) {
                assertTrue(result.next());
                assertEquals("sender1", result.getString(1));
                assertEquals(null, result.getString(2));
            }
        }
    }
}
