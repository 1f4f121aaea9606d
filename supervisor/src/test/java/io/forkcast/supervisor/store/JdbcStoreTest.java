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
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The store on embedded H2 and on a database that is not there; the real servers are in StoreIT. */
@Timeout(60)
class JdbcStoreTest {
    private static final EventLog LOG = EventLog.of("role=test");

    @TempDir
    Path dir;

    private static StoredLine line(String room, String text) {
        return new StoredLine(0, room, System.currentTimeMillis(), "say", "ann", "ann", "node1", 3, text);
    }

    private Store h2() {
        return Store.open(StoreSettings.of("jdbc:h2:file:" + dir.resolve("forkcast"), null, null), Runnable::run, LOG);
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
                Duration.ofSeconds(5));
        try (var store = Store.open(settings, Runnable::run, LOG)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(store.appendLine(line("lobby", "queued " + i), null));
            }
            assertFalse(store.appendLine(line("lobby", "one too many"), null));
            var offline = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 1, "ann", null, "x"), 5, offline);
            assertInstanceOf(Result.Refused.class, offline.get());
            var read = new Answer<List<StoredLine>>();
            store.history("lobby", 5, read);
            assertInstanceOf(Result.Failed.class, read.get());

            var stats = store.stats();
            assertEquals(StoreState.DOWN, stats.state());
            assertEquals(3, stats.queued());
            assertEquals(2, stats.refused());
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
                Duration.ofMillis(100));
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
}
