package io.forkcast.supervisor.store;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The statements on the MQTT tables of schema steps 3 and 4 ({@code mqtt_session}, {@code mqtt_subscription},
 * {@code mqtt_message}, {@code mqtt_retained}, {@code mqtt_received}) and the mapping between their rows and {@link MqttState}. An upsert is a
 * DELETE and an INSERT in the writer's transaction, the same SQL in all three databases. Times are epoch
 * milliseconds in BIGINT columns, null for never. Stateless.
 */
final class MqttRows {
    /** The longest client id and retained topic kept (the key columns' lengths); longer ones stay in memory. */
    static final int CLIENT_ID_MAX = 255;

    static final int TOPIC_KEY_MAX = 700;

    private static final String MESSAGE_COLUMNS = "message_id, client_id, topic, payload, qos, retain_flag,"
            + " subscription_ids, payload_format, message_expiry, expires_at, content_type, response_topic,"
            + " correlation_data, user_properties, packet_id, stage";
    private static final String RETAINED_COLUMNS = "topic, payload, qos, payload_format, message_expiry, expires_at,"
            + " content_type, response_topic, correlation_data, user_properties";

    private MqttRows() {}

    /** Runs one MQTT write on the writer's connection, inside its transaction; Ok(0) (the rows need no id). */
    static Result<Long> write(Connection connection, MqttWrite write) throws SQLException {
        switch (write) {
            case MqttWrite.SaveSession save -> saveSession(connection, save.session());
            case MqttWrite.EndSession end -> {
                for (var table : List.of("mqtt_subscription", "mqtt_message", "mqtt_received", "mqtt_session")) {
                    update(connection, "DELETE FROM " + table + " WHERE client_id = ?", end.clientId());
                }
            }
            case MqttWrite.StoreMessage store -> insertMessage(connection, store.message());
            case MqttWrite.InFlight inFlight -> {
                try (var statement = connection.prepareStatement(
                        "UPDATE mqtt_message SET packet_id = ?, stage = ? WHERE message_id = ?")) {
                    statement.setInt(1, inFlight.packetId());
                    statement.setInt(2, inFlight.stage());
                    statement.setLong(3, inFlight.id());
                    statement.executeUpdate();
                }
            }
            case MqttWrite.ForgetMessages forget -> {
                try (var statement = connection.prepareStatement("DELETE FROM mqtt_message WHERE message_id = ?")) {
                    for (long id : forget.ids()) {
                        statement.setLong(1, id);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }
            case MqttWrite.Retain retain -> retain(connection, retain.retained());
            case MqttWrite.Received r -> {
                released(connection, r.clientId(), r.packetId()); // written again: one row
                try (var insert =
                        connection.prepareStatement("INSERT INTO mqtt_received (client_id, packet_id) VALUES (?, ?)")) {
                    insert.setString(1, r.clientId());
                    insert.setInt(2, r.packetId());
                    insert.executeUpdate();
                }
            }
            case MqttWrite.Released r -> released(connection, r.clientId(), r.packetId());
        }
        return new Result.Ok<>(0L);
    }

    private static void released(Connection connection, String clientId, int packetId) throws SQLException {
        try (var delete =
                connection.prepareStatement("DELETE FROM mqtt_received WHERE client_id = ? AND packet_id = ?")) {
            delete.setString(1, clientId);
            delete.setInt(2, packetId);
            delete.executeUpdate();
        }
    }

    private static void saveSession(Connection connection, MqttState.Session s) throws SQLException {
        update(connection, "DELETE FROM mqtt_subscription WHERE client_id = ?", s.clientId());
        update(connection, "DELETE FROM mqtt_session WHERE client_id = ?", s.clientId());
        try (var insert = connection.prepareStatement("INSERT INTO mqtt_session (client_id, user_name, version,"
                + " session_expiry, ends_at, updated) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, s.clientId());
            insert.setString(2, s.user());
            insert.setInt(3, s.version());
            insert.setLong(4, s.sessionExpiry());
            setTime(insert, 5, s.endsAtMillis());
            insert.setLong(6, System.currentTimeMillis());
            insert.executeUpdate();
        }
        if (s.subscriptions().isEmpty()) {
            return;
        }
        try (var insert = connection.prepareStatement("INSERT INTO mqtt_subscription (client_id, seq_no,"
                + " topic_filter, qos, no_local, retain_as_published, retain_handling, subscription_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (var f : s.subscriptions()) {
                insert.setString(1, s.clientId());
                insert.setInt(2, seq++);
                insert.setString(3, f.filter());
                insert.setInt(4, f.qos());
                insert.setInt(5, f.noLocal() ? 1 : 0);
                insert.setInt(6, f.retainAsPublished() ? 1 : 0);
                insert.setInt(7, f.retainHandling());
                insert.setInt(8, f.subscriptionId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertMessage(Connection connection, MqttState.Message m) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO mqtt_message (" + MESSAGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, m.id());
            insert.setString(2, m.clientId());
            insert.setString(3, m.topic());
            insert.setBytes(4, m.payload());
            insert.setInt(5, m.qos());
            insert.setInt(6, m.retain() ? 1 : 0);
            insert.setString(7, ids(m.subscriptionIds()));
            bindProperties(insert, 8, m.properties(), m.expiresAtMillis());
            insert.setInt(15, m.packetId());
            insert.setInt(16, m.stage());
            insert.executeUpdate();
        }
    }

    private static void retain(Connection connection, MqttState.Retained r) throws SQLException {
        update(connection, "DELETE FROM mqtt_retained WHERE topic = ?", r.topic());
        if (r.payload().length == 0) {
            return;
        }
        try (var insert = connection.prepareStatement(
                "INSERT INTO mqtt_retained (" + RETAINED_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, r.topic());
            insert.setBytes(2, r.payload());
            insert.setInt(3, r.qos());
            bindProperties(insert, 4, r.properties(), r.expiresAtMillis());
            insert.executeUpdate();
        }
    }

    /** Seven columns from {@code first}: payload format, message expiry, expires at, and the four others. */
    private static void bindProperties(PreparedStatement insert, int first, MqttProperties p, long expiresAtMillis)
            throws SQLException {
        insert.setInt(first, p.payloadFormat());
        insert.setLong(first + 1, p.messageExpiry());
        setTime(insert, first + 2, expiresAtMillis);
        insert.setString(first + 3, p.contentType());
        insert.setString(first + 4, p.responseTopic());
        if (p.correlationData() == null) {
            insert.setNull(first + 5, Types.VARBINARY);
        } else {
            insert.setBytes(first + 5, p.correlationData());
        }
        insert.setString(first + 6, p.userProperties().isEmpty() ? null : strings(p.userProperties()));
    }

    private static MqttProperties properties(ResultSet row, int first) throws SQLException {
        String users = row.getString(first + 6);
        return new MqttProperties(
                row.getInt(first),
                row.getLong(first + 1),
                row.getString(first + 3),
                row.getString(first + 4),
                row.getBytes(first + 5),
                users == null ? List.of() : strings(users));
    }

    /** Everything kept, read on the reader's connection: sessions with their subscriptions, messages oldest first. */
    static MqttState load(Connection connection) throws SQLException {
        var subscriptions = new HashMap<String, List<MqttFilter>>();
        try (var query = connection.prepareStatement("SELECT client_id, topic_filter, qos, no_local,"
                        + " retain_as_published, retain_handling, subscription_id FROM mqtt_subscription"
                        + " ORDER BY client_id, seq_no");
                var rows = query.executeQuery()) {
            while (rows.next()) {
                subscriptions
                        .computeIfAbsent(rows.getString(1), k -> new ArrayList<>())
                        .add(new MqttFilter(
                                rows.getString(2),
                                rows.getInt(3),
                                rows.getInt(4) != 0,
                                rows.getInt(5) != 0,
                                rows.getInt(6),
                                rows.getInt(7)));
            }
        }
        var sessions = new ArrayList<MqttState.Session>();
        try (var query = connection.prepareStatement(
                        "SELECT client_id, user_name, version, session_expiry, ends_at FROM mqtt_session");
                var rows = query.executeQuery()) {
            while (rows.next()) {
                String clientId = rows.getString(1);
                sessions.add(new MqttState.Session(
                        clientId,
                        rows.getString(2),
                        rows.getInt(3),
                        rows.getLong(4),
                        time(rows, 5),
                        subscriptions.getOrDefault(clientId, List.of())));
            }
        }
        return new MqttState(sessions, messages(connection), retained(connection), received(connection));
    }

    private static List<MqttState.Received> received(Connection connection) throws SQLException {
        var received = new ArrayList<MqttState.Received>();
        try (var query = connection.prepareStatement(
                        "SELECT client_id, packet_id FROM mqtt_received ORDER BY client_id, packet_id");
                var rows = query.executeQuery()) {
            while (rows.next()) {
                received.add(new MqttState.Received(rows.getString(1), rows.getInt(2)));
            }
        }
        return received;
    }

    private static List<MqttState.Message> messages(Connection connection) throws SQLException {
        var messages = new ArrayList<MqttState.Message>();
        try (var query = connection.prepareStatement(
                        "SELECT " + MESSAGE_COLUMNS + " FROM mqtt_message ORDER BY message_id");
                var rows = query.executeQuery()) {
            while (rows.next()) {
                messages.add(new MqttState.Message(
                        rows.getLong(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getBytes(4),
                        rows.getInt(5),
                        rows.getInt(6) != 0,
                        ids(rows.getString(7)),
                        properties(rows, 8),
                        time(rows, 10),
                        rows.getInt(15),
                        rows.getInt(16)));
            }
        }
        return messages;
    }

    private static List<MqttState.Retained> retained(Connection connection) throws SQLException {
        var retained = new ArrayList<MqttState.Retained>();
        try (var query = connection.prepareStatement("SELECT " + RETAINED_COLUMNS + " FROM mqtt_retained");
                var rows = query.executeQuery()) {
            while (rows.next()) {
                retained.add(new MqttState.Retained(
                        rows.getString(1), rows.getBytes(2), rows.getInt(3), properties(rows, 4), time(rows, 6)));
            }
        }
        return retained;
    }

    private static void update(Connection connection, String sql, String key) throws SQLException {
        try (var statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.executeUpdate();
        }
    }

    private static void setTime(PreparedStatement statement, int index, long millis) throws SQLException {
        if (millis == MqttState.NEVER) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, millis);
        }
    }

    private static long time(ResultSet row, int index) throws SQLException {
        long millis = row.getLong(index);
        return row.wasNull() ? MqttState.NEVER : millis;
    }

    private static String ids(List<Integer> ids) {
        var sb = new StringBuilder();
        for (int id : ids) {
            sb.append(sb.isEmpty() ? "" : ",").append(id);
        }
        return sb.toString();
    }

    private static List<Integer> ids(String text) {
        var ids = new ArrayList<Integer>();
        if (text != null && !text.isEmpty()) {
            for (var part : text.split(",", -1)) {
                ids.add(Integer.parseInt(part));
            }
        }
        return ids;
    }

    /** User properties as {@code <length>:<text>} one after the other (name, value, name, value...). */
    static String strings(List<String> values) {
        var sb = new StringBuilder();
        for (var v : values) {
            sb.append(v.length()).append(':').append(v);
        }
        return sb.toString();
    }

    static List<String> strings(String text) {
        var values = new ArrayList<String>();
        int at = 0;
        while (at < text.length()) {
            int colon = text.indexOf(':', at);
            int length = Integer.parseInt(text, at, colon, 10);
            values.add(text.substring(colon + 1, colon + 1 + length));
            at = colon + 1 + length;
        }
        return values;
    }
}
