package io.forkcast.supervisor.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The statements on the {@code data} table and the mapping between its rows and {@link StoredLine}, {@link
 * OfflineMessage} and {@link BrokerMessage}. Every kind is inserted by the one {@link #INSERT}, so a writer
 * batch of lines and broker messages is one JDBC batch with its generated ids in order. Times are stored as UTC wall-clock timestamps with milliseconds, the same in all three
 * databases. Stateless.
 */
final class Rows {
    /** The kind of an offline private message's row. */
    static final String PRIVATE = "private";
    /** The kind of a broker message's row (waiting for a receiver's ack). */
    static final String BROKER = "broker";

    static final String INSERT = "INSERT INTO data (channel, recipient, kind, data, created, sender, sender_user,"
            + " node, client_id, message_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String COUNT_OFFLINE = "SELECT COUNT(*) FROM data WHERE recipient = ? AND kind = 'private'";
    /** Deletes one row if it is of the given kind: an offline delete never removes a broker row, nor the reverse. */
    static final String DELETE = "DELETE FROM data WHERE data_id = ? AND kind = ?";

    static final String HISTORY = "SELECT data_id, channel, created, kind, sender, sender_user, node, client_id, data"
            + " FROM data WHERE channel = ? AND kind IN ('say', 'act') ORDER BY data_id DESC LIMIT ?";
    /** The id of the newest line of a room past the {@code ?} newest, the first of those {@link #PRUNE} deletes. */
    static final String PRUNE_FROM = "SELECT data_id FROM data WHERE channel = ? AND kind IN ('say', 'act')"
            + " ORDER BY data_id DESC LIMIT 1 OFFSET ?";
    /** Deletes a room's history lines up to and including an id. */
    static final String PRUNE = "DELETE FROM data WHERE channel = ? AND kind IN ('say', 'act') AND data_id <= ?";

    static final String OFFLINE = "SELECT data_id, recipient, created, sender, sender_user, data FROM data"
            + " WHERE recipient = ? AND kind = 'private' ORDER BY data_id LIMIT ?";
    static final String BROKER_WAITING = "SELECT data_id, message_id, channel, created, sender_user, node, client_id,"
            + " data FROM data WHERE channel = ? AND kind = 'broker' ORDER BY data_id LIMIT ?";

    private Rows() {}

    static void bindLine(PreparedStatement insert, StoredLine line) throws SQLException {
        insert.setString(1, line.room());
        insert.setNull(2, Types.VARCHAR);
        insert.setString(3, line.kind());
        insert.setString(4, line.text());
        insert.setObject(5, utc(line.createdMillis()));
        insert.setString(6, line.senderName());
        insert.setString(7, line.senderUser());
        insert.setString(8, line.node());
        insert.setLong(9, line.clientId());
        insert.setNull(10, Types.BIGINT);
    }

    static void bindOffline(PreparedStatement insert, OfflineMessage message) throws SQLException {
        insert.setNull(1, Types.VARCHAR);
        insert.setString(2, message.recipient());
        insert.setString(3, PRIVATE);
        insert.setString(4, message.text());
        insert.setObject(5, utc(message.createdMillis()));
        insert.setString(6, message.senderName());
        insert.setString(7, message.senderUser());
        insert.setNull(8, Types.VARCHAR);
        insert.setLong(9, 0);
        insert.setNull(10, Types.BIGINT);
    }

    /** A broker row: sender and sender_user are both the sender's account, recipient is null. */
    static void bindBroker(PreparedStatement insert, BrokerMessage message) throws SQLException {
        insert.setString(1, message.channel());
        insert.setNull(2, Types.VARCHAR);
        insert.setString(3, BROKER);
        insert.setString(4, message.data());
        insert.setObject(5, utc(message.createdMillis()));
        insert.setString(6, message.senderUser());
        insert.setString(7, message.senderUser());
        insert.setString(8, message.node());
        insert.setLong(9, message.clientId());
        insert.setLong(10, message.messageId());
    }

    /** A row of {@link #HISTORY}. */
    static StoredLine line(ResultSet row) throws SQLException {
        return new StoredLine(
                row.getLong(1),
                row.getString(2),
                millis(row.getObject(3, LocalDateTime.class)),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                row.getLong(8),
                row.getString(9));
    }

    /** A row of {@link #OFFLINE}. */
    static OfflineMessage offline(ResultSet row) throws SQLException {
        return new OfflineMessage(
                row.getLong(1),
                row.getString(2),
                millis(row.getObject(3, LocalDateTime.class)),
                row.getString(4),
                row.getString(5),
                row.getString(6));
    }

    /** A row of {@link #BROKER_WAITING}. */
    static BrokerMessage broker(ResultSet row) throws SQLException {
        return new BrokerMessage(
                row.getLong(1),
                row.getLong(2),
                row.getString(3),
                millis(row.getObject(4, LocalDateTime.class)),
                row.getString(5),
                row.getString(6),
                row.getLong(7),
                row.getString(8));
    }

    static LocalDateTime utc(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    static long millis(LocalDateTime utc) {
        return utc.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
