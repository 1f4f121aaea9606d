package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.store.Answer;
import io.forkcast.supervisor.store.MqttRowsCheck;
import io.forkcast.supervisor.store.MqttState;
import io.forkcast.supervisor.store.MqttWrite;
import io.forkcast.supervisor.store.OfflineMessage;
import io.forkcast.supervisor.store.Schema;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoreSettings;
import io.forkcast.supervisor.store.StoredLine;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's MQTT rows (schema step 3) on H2, MariaDB 10.11 and PostgreSQL 15, each server started by the test in
 * a temp directory: every kind of row written and read back by a store opened again, and a database the release
 * before the broker left (step 1) migrated to the MQTT tables with its rows kept.
 */
@Timeout(300)
class MqttStoreIT {
    private static final EventLog LOG = EventLog.of("role=mqtt-store-it");

    private static MariaDbServer mariadb;
    private static PostgresServer postgres;

    @TempDir
    Path dir;

    @AfterAll
    static void stopServers() {
        if (mariadb != null) {
            mariadb.close();
            mariadb = null;
        }
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    private StoreSettings settings(StoreIT.Db db) throws Exception {
        return switch (db) {
            case H2 -> StoreSettings.of("jdbc:h2:file:" + dir.resolve("forkcast"), null, null);
            case MARIADB -> {
                if (mariadb == null) {
                    mariadb = MariaDbServer.launch();
                }
                yield StoreSettings.of(mariadb.newDatabase(), mariadb.user(), mariadb.password());
            }
            case POSTGRESQL -> {
                if (postgres == null) {
                    postgres = PostgresServer.launch();
                }
                yield StoreSettings.of(postgres.newDatabase(), postgres.user(), postgres.password());
            }
        };
    }

    private static int schemaVersion(StoreSettings settings) throws Exception {
        try (var connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                var query = connection.prepareStatement("SELECT MAX(version) FROM schema_version");
                var result = query.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreIT.Db.class)
    void everyKindOfMqttRowRoundTripsAcrossReopening(StoreIT.Db db) throws Exception {
        MqttRowsCheck.roundTrip(settings(db));
    }

    @ParameterizedTest
    @EnumSource(StoreIT.Db.class)
    void aDatabaseOfThePreviousReleaseMigratesToTheMqttTablesAndKeepsItsRows(StoreIT.Db db) throws Exception {
        var settings = settings(db);
        PreviousSchema.create(db, settings.url(), settings.user(), settings.password());
        try (var store = Store.open(settings, Runnable::run, LOG)) {
            var history = new Answer<List<StoredLine>>();
            store.history("lobby", 10, history);
            assertEquals(
                    List.of(PreviousSchema.LINE),
                    history.ok().stream().map(StoredLine::text).toList());
            var offline = new Answer<List<OfflineMessage>>();
            store.offlineFor("bob", offline);
            assertEquals(
                    List.of(PreviousSchema.OFFLINE),
                    offline.ok().stream().map(OfflineMessage::text).toList());
            var saved = new Answer<Long>();
            store.mqtt(
                    new MqttWrite.SaveSession(new MqttState.Session("dev", "bob", 4, 60, MqttState.NEVER, List.of())),
                    saved);
            saved.ok();
            var state = new Answer<MqttState>();
            store.mqttState(state);
            assertEquals(
                    List.of("dev"),
                    state.ok().sessions().stream()
                            .map(MqttState.Session::clientId)
                            .toList());
        }
        assertEquals(Schema.LATEST, schemaVersion(settings));
    }
}
