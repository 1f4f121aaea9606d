package io.forkcast.supervisor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.api.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on embedded H2 and on a database that is not there; the real servers are in StoreIT. Broker messages
 * share the data table with history and offline messages and must never show in their reads, nor the reverse.
 */
@Timeout(60)
class JdbcStoreTest {
    private static final EventLog LOG = EventLog.of("role=test");

    @TempDir
    Path dir;

    private static StoredLine line(String room, String text) {
        return new StoredLine(0, room, System.currentTimeMillis(), "say", "ann", "ann", "node1", 3, text);
    }

    private static BrokerMessage broker(String channel, long messageId, String data) {
        return new BrokerMessage(0, messageId, channel, 1_700_000_000_000L + messageId, "sender1", "node1", 9, data);
    }

    private static long storeBroker(Store store, BrokerMessage message) throws Exception {
        var answer = new Answer<Long>();
        store.storeBroker(message, answer);
        return answer.ok();
    }

    private static List<BrokerMessage> waiting(Store store, String channel, int limit) throws Exception {
        var answer = new Answer<List<BrokerMessage>>();
        store.brokerWaiting(channel, limit, answer);
        return answer.ok();
    }

    private static long append(Store store, StoredLine line) throws Exception {
        var answer = new Answer<Long>();
        assertTrue(store.appendLine(line, answer));
        return answer.ok();
    }

    private static List<StoredLine> history(Store store, String room, int limit) throws Exception {
        var answer = new Answer<List<StoredLine>>();
        store.history(room, limit, answer);
        return answer.ok();
    }

    private static List<OfflineMessage> offlineFor(Store store, String user) throws Exception {
        var answer = new Answer<List<OfflineMessage>>();
        store.offlineFor(user, answer);
        return answer.ok();
    }

    private String h2Url() {
        return "jdbc:h2:file:" + dir.resolve("forkcast");
    }

    private Store h2() {
        return Store.open(StoreSettings.of(h2Url(), null, null), Runnable::run, LOG);
    }

    @Test
    void historyIsTheLastLinesOfTheRoomOldestFirst() throws Exception {
        try (var store = h2()) {
            for (int i = 1; i <= 5; i++) {
                var text = "line " + i;
                var answer = new Answer<Long>();
                assertTrue(store.appendLine(line("lobby", text), answer));
                assertTrue(answer.ok() > 0);
            }
            var elsewhere = new Answer<Long>();
            store.appendLine(line("dev", "elsewhere"), elsewhere);
            elsewhere.ok();

            var history = new Answer<List<StoredLine>>();
            store.history("lobby", 3, history);
            var last3 = history.ok();

            assertEquals(
                    List.of("line 3", "line 4", "line 5"),
                    last3.stream().map(StoredLine::text).toList());
            assertTrue(last3.get(0).id() < last3.get(1).id());
            assertEquals("ann", last3.get(2).senderUser());
            var none = new Answer<List<StoredLine>>();
            store.history("lobby", 0, none);
            assertEquals(List.of(), none.ok());
            assertEquals(StoreState.UP, store.stats().state());
        }
    }

    private Store h2Keeping(int historyKeep) {
        var settings = new StoreSettings(
                h2Url(),
                null,
                null,
                StoreSettings.DEFAULT_QUEUE_MAX,
                StoreSettings.DEFAULT_RETRY_FIRST,
                StoreSettings.DEFAULT_RETRY_MAX,
                historyKeep);
        return Store.open(settings, Runnable::run, LOG);
    }

    @Test
    void aRoomsHistoryIsPrunedToHistoryKeepEveryHundredLinesAndOtherRowsAreKept() throws Exception {
        try (var store = h2Keeping(150)) {
            for (int i = 1; i <= 5; i++) {
                append(store, line("dev", "dev " + i));
            }
            store.storeOffline(new OfflineMessage(0, "bob", 1, "ann", null, "kept"), 5, new Answer<>());
            // One write at a time: the prune after line 400's commit ran before line 401 was written.
            for (int i = 1; i <= 450; i++) {
                append(store, line("lobby", "line " + i));
            }
            var lobby = history(store, "lobby", 10_000);
            assertEquals(200, lobby.size(), "150 kept at line 400, and the 50 since");
            assertEquals("line 251", lobby.getFirst().text());
            assertEquals("line 450", lobby.getLast().text());
            assertEquals(5, history(store, "dev", 10_000).size(), "a room of 5 lines is not touched");
            assertEquals(1, offlineFor(store, "bob").size(), "offline messages are not history");
        }
    }

    @Test
    void historyKeepZeroKeepsEveryLine() throws Exception {
        try (var store = h2Keeping(0)) {
            for (int i = 1; i <= 250; i++) {
                append(store, line("lobby", "line " + i));
            }
            assertEquals(250, history(store, "lobby", 10_000).size());
        }
    }

    @Test
    void offlineMessagesAreCappedListedAndDeleted() throws Exception {
        try (var store = h2()) {
            for (int i = 0; i < 2; i++) {
                var stored = new Answer<Long>();
                store.storeOffline(new OfflineMessage(0, "bob", 1000L * i, "ann", null, "m" + i), 2, stored);
                stored.ok();
            }
            var third = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 3, "ann", null, "m2"), 2, third);
            assertInstanceOf(Result.Full.class, third.get());

            var read = new Answer<List<OfflineMessage>>();
            store.offlineFor("bob", read);
            var waiting = read.ok();
            assertEquals(
                    List.of("m0", "m1"),
                    waiting.stream().map(OfflineMessage::text).toList());
            assertEquals(1000L, waiting.get(1).createdMillis());
            assertNull(waiting.get(0).senderUser());

            store.deleteOffline(waiting.stream().map(OfflineMessage::id).toList());
            // Writes are committed in order: a line queued after the delete is answered after it.
            var after = new Answer<Long>();
            store.appendLine(line("lobby", "after the delete"), after);
            after.ok();
            var again = new Answer<List<OfflineMessage>>();
            store.offlineFor("bob", again);
            assertEquals(List.of(), again.ok());
        }
    }

    @Test
    void aWriteTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsCommitted() throws Exception {
        try (var store = h2()) {
            var answers = new ArrayList<Answer<Long>>();
            for (int i = 0; i < 20; i++) {
                // sender is VARCHAR(100): line 7's sender is too long for it.
                var sender = i == 7 ? "x".repeat(300) : "ann";
                var answer = new Answer<Long>();
                answers.add(answer);
                assertTrue(store.appendLine(
                        new StoredLine(0, "lobby", 1, "say", sender, null, "n", 1, "line " + i), answer));
            }
            for (int i = 0; i < 20; i++) {
                if (i == 7) {
                    assertInstanceOf(Result.Failed.class, answers.get(i).get());
                } else {
                    answers.get(i).ok();
                }
            }
            var history = new Answer<List<StoredLine>>();
            store.history("lobby", 50, history);
            assertEquals(19, history.ok().size());
            assertEquals(1, store.stats().failed());
            assertEquals(StoreState.UP, store.stats().state());
        }
    }

    @Test
    void aDatabaseThatIsNotThereLeavesWritesQueuedUpToTheMaxAndReadsFailAtOnce() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var settings = new StoreSettings(
                "jdbc:mariadb://127.0.0.1:" + port + "/none",
                "u",
                "p",
                3,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                StoreSettings.DEFAULT_HISTORY_KEEP);
        try (var store = Store.open(settings, Runnable::run, LOG)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(store.appendLine(line("lobby", "queued " + i), null));
            }
            assertFalse(store.appendLine(line("lobby", "one too many"), null));
            var offline = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 1, "ann", null, "x"), 5, offline);
            assertInstanceOf(Result.Refused.class, offline.get());
            var brokerStored = new Answer<Long>();
            store.storeBroker(broker("sms", 1, "{}"), brokerStored);
            assertInstanceOf(Result.Refused.class, brokerStored.get());
            // Not deleted, counted as refused: the messages are delivered again.
            store.deleteBroker(List.of(1L, 2L));
            var read = new Answer<List<StoredLine>>();
            store.history("lobby", 5, read);
            assertInstanceOf(Result.Failed.class, read.get());

            var stats = store.stats();
            assertEquals(StoreState.DOWN, stats.state());
            assertEquals(3, stats.queued());
            assertEquals(4, stats.refused());
        }
    }

    @Test
    void closeFailsWhatItCouldNotWriteAndRefusesLaterWrites() throws Exception {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var settings = new StoreSettings(
                "jdbc:postgresql://127.0.0.1:" + port + "/none",
                "u",
                "p",
                10,
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                StoreSettings.DEFAULT_HISTORY_KEEP);
        var answer = new Answer<Long>();
        var store = Store.open(settings, Runnable::run, LOG);
        assertTrue(store.appendLine(line("lobby", "never written"), answer));

        store.close();

        var failed = assertInstanceOf(Result.Failed.class, answer.get());
        assertNotNull(failed.reason());
        assertFalse(store.appendLine(line("lobby", "after close"), null));
        assertEquals(0, store.stats().queued());
    }

    @Test
    void aSchemaNewerThanTheCodeFailsEveryWriteWithTheReason() throws Exception {
        var url = "jdbc:h2:file:" + dir.resolve("future");
        try (var connection =
                DriverManager.getConnection(Dialect.H2.connectUrl(url), Dialect.H2.properties(null, null))) {
            Schema.migrate(connection, Dialect.H2);
            try (var insert = connection.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied) VALUES (?, 'later', ?)")) {
                insert.setInt(1, Schema.LATEST + 1);
                insert.setObject(2, Rows.utc(0));
                insert.executeUpdate();
            }
            connection.commit();
        }
        try (var store = Store.open(StoreSettings.of(url, null, null), Runnable::run, LOG)) {
            var answer = new Answer<Long>();
            store.appendLine(line("lobby", "x"), answer);

            var failed = assertInstanceOf(Result.Failed.class, answer.get());
            assertTrue(failed.reason().contains("newer than this forkcast's"), failed.reason());
            assertEquals(StoreState.DOWN, store.stats().state());
        }
    }

    @Test
    void noneIsOffAndOtherUrlsAreRefusedWithTheReason() throws Exception {
        try (var store = Store.open(StoreSettings.of("none", null, null), Runnable::run, LOG)) {
            assertFalse(store.enabled());
            var read = new Answer<List<StoredLine>>();
            store.history("lobby", 5, read);
            assertInstanceOf(Result.Off.class, read.get());
            assertEquals(StoreState.OFF, store.stats().state());
        }
        assertNull(Store.urlProblem("none"));
        assertNull(Store.urlProblem("jdbc:postgresql://db/forkcast"));
        var problem = Store.urlProblem("jdbc:sqlite:x.db?password=secret");
        assertNotNull(problem);
        assertTrue(problem.contains("jdbc:h2:") && !problem.contains("secret"), problem);
    }

    @Test
    void brokerMessagesRoundTripOldestFirstAndStayOutOfHistoryAndOfflineReads() throws Exception {
        try (var store = h2()) {
            append(store, line("sms", "a person in #sms"));
            var ids = new ArrayList<Long>();
            for (int i = 1; i <= 3; i++) {
                ids.add(storeBroker(store, broker("sms", 100 + i, "{\"n\":" + i + "}")));
            }
            storeBroker(store, broker("other", 7, "[]"));
            var offline = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "sms", 1, "ann", null, "for a user called sms"), 5, offline);
            offline.ok();

            var all = waiting(store, "sms", 10);

            assertEquals(ids, all.stream().map(BrokerMessage::rowId).toList());
            assertEquals(
                    List.of(101L, 102L, 103L),
                    all.stream().map(BrokerMessage::messageId).toList());
            assertEquals(
                    new BrokerMessage(ids.get(0), 101, "sms", 1_700_000_000_101L, "sender1", "node1", 9, "{\"n\":1}"),
                    all.getFirst());
            assertEquals(
                    ids.subList(0, 2),
                    waiting(store, "sms", 2).stream().map(BrokerMessage::rowId).toList());
            assertEquals(List.of(), waiting(store, "sms", 0));
            assertEquals(List.of(), waiting(store, "nowhere", 5));
            assertEquals(
                    List.of("a person in #sms"),
                    history(store, "sms", 50).stream().map(StoredLine::text).toList());
            assertEquals(
                    List.of("for a user called sms"),
                    offlineFor(store, "sms").stream().map(OfflineMessage::text).toList());
        }
    }

    @Test
    void deleteBrokerRemovesOnlyBrokerRowsAndDeleteOfflineNoBrokerRow() throws Exception {
        try (var store = h2()) {
            long lineId = append(store, line("sms", "kept line"));
            var offline = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 1, "ann", null, "kept offline"), 5, offline);
            long offlineId = offline.ok();
            long first = storeBroker(store, broker("sms", 1, "\"one\""));
            long second = storeBroker(store, broker("sms", 2, "\"two\""));

            store.deleteBroker(List.of(first, lineId, offlineId));
            store.deleteOffline(List.of(second));
            // Writes commit in order: this one is answered after both deletes.
            append(store, line("elsewhere", "after the deletes"));

            assertEquals(
                    List.of(second),
                    waiting(store, "sms", 10).stream().map(BrokerMessage::rowId).toList());
            assertEquals(
                    List.of(lineId),
                    history(store, "sms", 10).stream().map(StoredLine::id).toList());
            assertEquals(
                    List.of(offlineId),
                    offlineFor(store, "bob").stream().map(OfflineMessage::id).toList());
        }
    }

    /** Holds the writer inside its transaction while a row with data "hold" is inserted, until released. */
    public static final class Hold implements Trigger {
        static final CountDownLatch ENTERED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if (newRow != null && "\"hold\"".equals(newRow[4])) {
                ENTERED.countDown();
                try {
                    if (!RELEASE.await(30, TimeUnit.SECONDS)) {
                        throw new java.sql.SQLException("the test never released the writer");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.sql.SQLException(e);
                }
            }
        }
    }

    @Test
    void aBurstOfBrokerStoresCommitsInOneTransactionWithIdsInCallOrder() throws Exception {
        try (var store = h2()) {
            storeBroker(store, broker("sms", 0, "\"ready\""));
            try (var connection = DriverManager.getConnection(Dialect.H2.connectUrl(h2Url()), "", "");
                    var create = connection.prepareStatement("CREATE TRIGGER hold BEFORE INSERT ON data FOR EACH ROW"
                            + " CALL '" + Hold.class.getName() + "'")) {
                create.execute();
            }
            var held = new Answer<Long>();
            store.storeBroker(broker("sms", 1, "\"hold\""), held);
            assertTrue(Hold.ENTERED.await(30, TimeUnit.SECONDS), "the writer never reached the held row");
            long transactionsBefore = store.stats().transactions();
            var answers = new ArrayList<Answer<Long>>();
            for (int i = 0; i < 200; i++) {
                var answer = new Answer<Long>();
                answers.add(answer);
                store.storeBroker(broker("sms", 2 + i, "{\"i\":" + i + "}"), answer);
            }
            Hold.RELEASE.countDown();

            long previous = held.ok();
            for (var answer : answers) {
                long id = answer.ok();
                assertTrue(id > previous, "ids in call order: " + id + " after " + previous);
                previous = id;
            }
            // The held batch, then the whole burst queued behind it in one more.
            assertEquals(transactionsBefore + 2, store.stats().transactions());
            var rows = waiting(store, "sms", 500);
            assertEquals(202, rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(i, rows.get(i).messageId());
            }
        }
    }

    @Test
    void theOffStoreAnswersOffToBrokerCalls() throws Exception {
        try (var store = Store.open(StoreSettings.of("none", null, null), Runnable::run, LOG)) {
            var stored = new Answer<Long>();
            store.storeBroker(broker("sms", 1, "1"), stored);
            assertInstanceOf(Result.Off.class, stored.get());
            var read = new Answer<List<BrokerMessage>>();
            store.brokerWaiting("sms", 5, read);
            assertInstanceOf(Result.Off.class, read.get());
            store.deleteBroker(List.of(1L));
        }
    }
}
