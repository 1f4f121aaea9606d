package io.forkcast.supervisor.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * What differs between the three databases: how a url is recognised and completed, the connection settings, the
 * session set-up and the DDL of each schema step. Everything else is standard SQL run through prepared
 * statements. Immutable.
 */
enum Dialect {
    H2("h2"),
    MARIADB("mariadb"),
    POSTGRESQL("postgresql");

    /** How long connecting may take before the attempt counts as failed. */
    static final int CONNECT_TIMEOUT_SECONDS = 5;
    /** How long one statement may wait for the server's answer before the connection counts as lost. */
    static final int SOCKET_TIMEOUT_SECONDS = 30;

    private final String word;

    Dialect(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }

    /** The dialect of a JDBC url, or IllegalArgumentException naming the urls that work. */
    static Dialect of(String url) {
        for (var dialect : values()) {
            if (url.startsWith("jdbc:" + dialect.word + ":")) {
                return dialect;
            }
        }
        throw new IllegalArgumentException(
                "store_url must be none, jdbc:h2:..., jdbc:mariadb:... or" + " jdbc:postgresql:...: " + redact(url));
    }

    /** {@code url} with any password in it hidden, for logs. */
    static String redact(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /**
     * The url to connect with. H2 gets {@code WRITE_DELAY=0}, so that COMMIT writes the file before it returns
     * (by default H2 writes committed changes up to 500 ms later, and a kill -9 in between would lose them), and
     * {@code DB_CLOSE_ON_EXIT=FALSE}, so that H2's shutdown hook does not close the database under the store
     * while it drains at shutdown. Settings the url already has are left as they are.
     */
    String connectUrl(String url) {
        if (this != H2) {
            return url;
        }
        var upper = url.toUpperCase(Locale.ROOT);
        var sb = new StringBuilder(url);
        if (!upper.contains(";WRITE_DELAY=")) {
            sb.append(";WRITE_DELAY=0");
        }
        if (!upper.contains(";DB_CLOSE_ON_EXIT=")) {
            sb.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return sb.toString();
    }

    /** User, password and timeouts; a setting in the url itself takes precedence where the driver allows. */
    Properties properties(String user, String password) {
        var props = new Properties();
        props.setProperty("user", user == null ? "" : user);
        props.setProperty("password", password == null ? "" : password);
        switch (this) {
            case MARIADB -> {
                props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS * 1000));
                props.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS * 1000));
                props.setProperty("tcpKeepAlive", "true");
            }
            case POSTGRESQL -> {
                props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
                props.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
                props.setProperty("tcpKeepAlive", "true");
                props.setProperty("ApplicationName", "forkcast");
            }
            case H2 -> {}
        }
        return props;
    }

    /** Session set-up after connecting: MariaDB talks utf8mb4 whatever the server's default character set. */
    void prepare(Connection connection) throws SQLException {
        if (this == MARIADB) {
            try (var statement = connection.prepareStatement("SET NAMES utf8mb4 COLLATE utf8mb4_bin")) {
                statement.execute();
            }
        }
    }

    /** The name (MariaDB) or key (PostgreSQL) of the lock held while the schema is migrated. */
    static final String SCHEMA_LOCK = "forkcast_schema";

    static final long SCHEMA_LOCK_KEY = 0x666f726b63617374L; // "forkcast"
    /** How long a supervisor waits for another one's migration of a shared database. */
    static final int SCHEMA_LOCK_SECONDS = 60;

    /**
     * Takes the database-wide lock under which the schema is migrated, so that supervisors sharing one database do
     * not migrate it at once; H2 is one process's file and needs none. Commits (the lock outlives transactions).
     */
    void lockSchema(Connection connection) throws SQLException {
        switch (this) {
            case MARIADB -> {
                try (var lock = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
                    lock.setString(1, SCHEMA_LOCK);
                    lock.setInt(2, SCHEMA_LOCK_SECONDS);
                    try (var rows = lock.executeQuery()) {
                        if (!rows.next() || rows.getInt(1) != 1) {
                            throw new SQLException("the schema lock " + SCHEMA_LOCK + " was not granted within "
                                    + SCHEMA_LOCK_SECONDS + " s (another supervisor migrating?)");
                        }
                    }
                }
            }
            case POSTGRESQL -> {
                try (var timeout = connection.prepareStatement("SET lock_timeout = '" + SCHEMA_LOCK_SECONDS + "s'")) {
                    timeout.execute();
                }
                try (var lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
                    lock.setLong(1, SCHEMA_LOCK_KEY);
                    lock.execute();
                }
                try (var reset = connection.prepareStatement("SET lock_timeout = 0")) {
                    reset.execute();
                }
            }
            case H2 -> {}
        }
        connection.commit();
    }

    /** Releases the lock of {@link #lockSchema}; the lock goes with the connection anyway. */
    void unlockSchema(Connection connection) throws SQLException {
        String sql = switch (this) {
            case MARIADB -> "SELECT RELEASE_LOCK('" + SCHEMA_LOCK + "')";
            case POSTGRESQL -> "SELECT pg_advisory_unlock(" + SCHEMA_LOCK_KEY + ")";
            case H2 -> null;
        };
        if (sql == null) {
            return;
        }
        try (var unlock = connection.prepareStatement(sql)) {
            unlock.execute();
        }
        connection.commit();
    }

    /** The table that records applied schema steps. */
    String schemaVersionTable() {
        var ddl = "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY,"
                + " description VARCHAR(200) NOT NULL, applied " + timestamp() + " NOT NULL)";
        return this == MARIADB ? ddl + MARIADB_TABLE : ddl;
    }

    /**
     * Step 1: the {@code data} table of seed 000 ({@code data_id}, {@code channel}, {@code data}, {@code
     * created}) with what history and offline messages need. A room line has {@code channel} (the room key) and
     * {@code kind} say or act; an offline private message has {@code recipient} (the user key) and {@code kind}
     * private. Broker messages waiting for a receiver share it with a kind of their own (step 2).
     */
    List<String> dataTable() {
        var id = switch (this) {
            case MARIADB -> "data_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY";
            case H2, POSTGRESQL -> "data_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        };
        var text = text();
        var table = "CREATE TABLE IF NOT EXISTS data (" + id + ", channel VARCHAR(100), recipient VARCHAR(100),"
                + " kind VARCHAR(16) NOT NULL, data " + text + " NOT NULL, created " + timestamp() + " NOT NULL,"
                + " sender VARCHAR(100) NOT NULL, sender_user VARCHAR(100), node VARCHAR(100),"
                + " client_id BIGINT NOT NULL DEFAULT 0";
        if (this == MARIADB) {
            // MariaDB commits each DDL statement: keys declared with the table make the step one statement.
            return List.of(table + ", KEY data_channel (channel, data_id), KEY data_recipient (recipient, data_id))"
                    + MARIADB_TABLE);
        }
        return List.of(
                table + ")",
                "CREATE INDEX IF NOT EXISTS data_channel ON data (channel, data_id)",
                "CREATE INDEX IF NOT EXISTS data_recipient ON data (recipient, data_id)");
    }

    /**
     * Step 2: {@code message_id}, the id the supervisor gave a broker message (kind broker, channel the channel
     * key), so that it survives a restart; null in other rows. The same statement in all three databases (MariaDB
     * 10.0.2+, PostgreSQL 9.6+ and H2 2 all take {@code IF NOT EXISTS}), so a step cut short after MariaDB's
     * implicit commit runs again harmlessly. A channel's waiting messages are read by the {@code data_channel}
     * index, so no new index is needed.
     */
    List<String> messageId() {
        return List.of("ALTER TABLE data ADD COLUMN IF NOT EXISTS message_id BIGINT");
    }

    /**
     * Step 3: the MQTT tables. {@code mqtt_session} (a session that outlives its connection: user, protocol
     * version, session expiry, when it ends), {@code mqtt_subscription} (its filters with their options, in
     * order), {@code mqtt_message} (QoS 1 and 2 messages queued or in flight for it, with the 5.0 properties kept:
     * payload format, message expiry and when it expires, content type, response topic, correlation data, user
     * properties; packet id and stage once in flight) and {@code mqtt_retained} (by topic). Times are epoch
     * milliseconds (BIGINT), null for never. Every statement takes {@code IF NOT EXISTS}, so a step cut short runs
     * again harmlessly; MariaDB declares its index with the table.
     */
    List<String> mqttTables() {
        var blob = switch (this) {
            case MARIADB -> "LONGBLOB";
            case POSTGRESQL -> "BYTEA";
            case H2 -> "BLOB";
        };
        var text = text();
        var clientId = "client_id VARCHAR(" + MqttRows.CLIENT_ID_MAX + ") NOT NULL";
        var props = "payload_format INT NOT NULL, message_expiry BIGINT NOT NULL, expires_at BIGINT, content_type "
                + text + ", response_topic " + text + ", correlation_data " + blob + ", user_properties " + text;
        var end = this == MARIADB ? MARIADB_TABLE : "";
        var messages = "CREATE TABLE IF NOT EXISTS mqtt_message (message_id BIGINT NOT NULL PRIMARY KEY, " + clientId
                + ", topic " + text + " NOT NULL, payload " + blob + " NOT NULL, qos INT NOT NULL, retain_flag INT"
                + " NOT NULL, subscription_ids " + text + " NOT NULL, " + props + ", packet_id INT NOT NULL, stage"
                + " INT NOT NULL";
        var statements = new ArrayList<String>();
        statements.add("CREATE TABLE IF NOT EXISTS mqtt_session (" + clientId + " PRIMARY KEY, user_name"
                + " VARCHAR(100), version INT NOT NULL, session_expiry BIGINT NOT NULL, ends_at BIGINT, updated"
                + " BIGINT NOT NULL)" + end);
        statements.add("CREATE TABLE IF NOT EXISTS mqtt_subscription (" + clientId + ", seq_no INT NOT NULL,"
                + " topic_filter " + text + " NOT NULL, qos INT NOT NULL, no_local INT NOT NULL, retain_as_published"
                + " INT NOT NULL, retain_handling INT NOT NULL, subscription_id INT NOT NULL,"
                + " PRIMARY KEY (client_id, seq_no))" + end);
        if (this == MARIADB) {
            statements.add(messages + ", KEY mqtt_message_client (client_id, message_id))" + end);
        } else {
            statements.add(messages + ")");
            statements.add("CREATE INDEX IF NOT EXISTS mqtt_message_client ON mqtt_message (client_id, message_id)");
        }
        statements.add("CREATE TABLE IF NOT EXISTS mqtt_retained (topic VARCHAR(" + MqttRows.TOPIC_KEY_MAX
                + ") NOT NULL PRIMARY KEY, payload " + blob + " NOT NULL, qos INT NOT NULL, " + props + ")" + end);
        return statements;
    }

    /**
     * Step 4: {@code mqtt_received}, the QoS 2 packet ids a client sent that were routed and not yet released
     * (PUBREL), by client id, so that a PUBLISH its worker or the client sends again after a restart is answered
     * and not routed twice. Rows of clients without a kept session too (a connected client's worker outlives the
     * supervisor). One statement, {@code IF NOT EXISTS}: a step cut short runs again harmlessly.
     */
    List<String> mqttReceived() {
        return List.of("CREATE TABLE IF NOT EXISTS mqtt_received (client_id VARCHAR(" + MqttRows.CLIENT_ID_MAX
                + ") NOT NULL, packet_id INT NOT NULL, PRIMARY KEY (client_id, packet_id))"
                + (this == MARIADB ? MARIADB_TABLE : ""));
    }

    private String text() {
        return switch (this) {
            case MARIADB -> "LONGTEXT";
            case POSTGRESQL -> "TEXT";
            case H2 -> "CHARACTER VARYING";
        };
    }

    /** Whether a failed schema step leaves nothing behind (DDL inside a transaction): PostgreSQL only. */
    boolean transactionalDdl() {
        return this == POSTGRESQL;
    }

    private String timestamp() {
        return this == MARIADB ? "DATETIME(3)" : "TIMESTAMP(3)";
    }

    private static final String MARIADB_TABLE = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
}
