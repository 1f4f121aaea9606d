package io.forkcast.supervisor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.forkcast.protocol.log.EventLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's MQTT rows on embedded H2 ({@link MqttRowsCheck}; MariaDB and PostgreSQL: MqttStoreIT), the
 * encoding of user properties, and the store that is off.
 */
@Timeout(60)
class MqttStoreTest {
    private static final EventLog LOG = EventLog.of("role=test");

    @TempDir
    Path dir;

    @Test
    void sessionsMessagesAndRetainedMessagesComeBackAfterTheStoreIsOpenedAgain() throws Exception {
        MqttRowsCheck.roundTrip(StoreSettings.of("jdbc:h2:file:" + dir.resolve("forkcast"), null, null));
    }

    @Test
    void userPropertiesKeepColonsDigitsAndEmptyStrings() {
        var values = List.of("12:ab", "", "::", "é🎉", "3");
        assertEquals(values, MqttRows.strings(MqttRows.strings(values)));
    }

    @Test
    void theOffStoreAnswersOffToMqttCalls() throws Exception {
        try (var store = Store.open(StoreSettings.of("none", null, null), Runnable::run, LOG)) {
            var written = new Answer<Long>();
            store.mqtt(new MqttWrite.EndSession("x"), written);
            assertInstanceOf(Result.Off.class, written.get());
            var read = new Answer<MqttState>();
            store.mqttState(read);
            assertInstanceOf(Result.Off.class, read.get());
        }
    }
}
