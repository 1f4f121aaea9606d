package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.store.Answer;
import io.forkcast.supervisor.store.BrokerMessage;
import io.forkcast.supervisor.store.OfflineMessage;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Schema;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoreSettings;
import io.forkcast.supervisor.store.StoreState;
import io.forkcast.supervisor.store.StoredLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store against embedded H2 (file mode) and real MariaDB and PostgreSQL servers started for the test: history,
 * offline messages, broker messages (kept apart from both), the migration from the previous release's schema,
 * UTF-8, a database stopped under load, and a JVM killed with -9 after acknowledgements.
 */
@Timeout(300)
class StoreIT {
    private static final EventLog LOG = EventLog.of("role=store-it");

    enum Db {
        H2,
        MARIADB,
        POSTGRESQL
    }

    /** Where a test's store points: a fresh database each time; server is null for H2. */
    record Target(String url, String user, String password, DatabaseServer server) {
        StoreSettings settings() {
            return StoreSettings.of(url, user, password);
        }
    }

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

    private Target target(Db db) throws Exception {
        return switch (db) {
            case H2 -> new Target("jdbc:h2:file:" + dir.resolve("forkcast"), null, null, null);
            case MARIADB -> {
                if (mariadb == null) {
                    mariadb = MariaDbServer.launch();
                }
                yield new Target(mariadb.newDatabase(), mariadb.user(), mariadb.password(), mariadb);
            }
            case POSTGRESQL -> {
                if (postgres == null) {
                    postgres = PostgresServer.launch();
                }
                yield new Target(postgres.newDatabase(), postgres.user(), postgres.password(), postgres);
            }
        };
    }

    private static StoredLine line(String room, String text) {
        return new StoredLine(0, room, System.currentTimeMillis(), "say", "ann", "ann", "node1", 5, text);
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

    private static List<OfflineMessage> offline(Store store, String user) throws Exception {
        var answer = new Answer<List<OfflineMessage>>();
        store.offlineFor(user, answer);
        return answer.ok();
    }

    /** The texts of a room's rows in id order, read straight from the database. */
    private static Map<Long, String> rows(Target target, String room) throws Exception {
        var rows = new LinkedHashMap<Long, String>();
        try (var connection = DriverManager.getConnection(target.url(), target.user(), target.password());
                var query = connection.prepareStatement(
                        "SELECT data_id, data FROM data WHERE channel = ? ORDER BY data_id")) {
            query.setString(1, room);
            try (var result = query.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getLong(1), result.getString(2));
                }
            }
        }
        return rows;
    }

    private static int schemaSteps(Target target) throws Exception {
        try (var connection = DriverManager.getConnection(target.url(), target.user(), target.password());
                var query = connection.prepareStatement("SELECT COUNT(*) FROM schema_version");
                var result = query.executeQuery()) {
            assertTrue(result.next());
            return result.getInt(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void historyIsTheLastLinesOfARoomOldestFirstAndSurvivesReopening(Db db) throws Exception {
        var target = target(db);
        var ids = new ArrayList<Long>();
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            for (int i = 0; i < 30; i++) {
                ids.add(append(store, line("lobby", "line " + i)));
                if (i % 10 == 0) {
                    append(store, line("dev", "dev " + i));
                }
            }
            var last10 = history(store, "lobby", 10);

            assertEquals(
                    IntStream.range(20, 30).mapToObj(i -> "line " + i).toList(),
                    last10.stream().map(StoredLine::text).toList());
            assertEquals(
                    ids.subList(20, 30), last10.stream().map(StoredLine::id).toList());
            assertEquals(30, history(store, "lobby", 200).size());
            assertEquals(List.of(), history(store, "nowhere", 5));
            var first = history(store, "dev", 1).getFirst();
            assertEquals("dev 20", first.text());
            assertEquals("node1", first.node());
            assertEquals(5, first.clientId());
        }
        // Opening again migrates nothing and finds the lines.
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            assertEquals("line 29", history(store, "lobby", 1).getFirst().text());
            assertEquals(StoreState.UP, store.stats().state());
        }
        assertEquals(Schema.LATEST, schemaSteps(target));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aRoomsHistoryIsPrunedToHistoryKeepAndNothingElseIs(Db db) throws Exception {
        var target = target(db);
        var base = target.settings();
        var keeping = new StoreSettings(
                base.url(), base.user(), base.password(), base.queueMax(), base.retryFirst(), base.retryMax(), 150);
        try (var store = Store.open(keeping, Runnable::run, LOG)) {
            append(store, line("dev", "dev 1"));
            var kept = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 1, "ann", null, "kept"), 5, kept);
            kept.ok();
            // One write at a time: the prune after line 400's commit runs before line 401 is written.
            for (int i = 1; i <= 450; i++) {
                append(store, line("lobby", "line " + i));
            }
        }
        var lobby = rows(target, "lobby");
        assertEquals(200, lobby.size(), "150 kept at line 400, and the 50 since");
        assertEquals(IntStream.rangeClosed(251, 450).mapToObj(i -> "line " + i).toList(), List.copyOf(lobby.values()));
        assertEquals(List.of("dev 1"), List.copyOf(rows(target, "dev").values()));
        try (var store = Store.open(base, Runnable::run, LOG)) {
            assertEquals(
                    List.of("kept"),
                    offline(store, "bob").stream().map(OfflineMessage::text).toList());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void offlineMessagesAreCappedListedOldestFirstAndDeleted(Db db) throws Exception {
        var target = target(db);
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            for (int i = 0; i < 3; i++) {
                var stored = new Answer<Long>();
                store.storeOffline(new OfflineMessage(0, "bob", 1_000_000L * i, "ann", "ann", "m" + i), 3, stored);
                stored.ok();
            }
            var full = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 5, "guest", null, "one too many"), 3, full);
            assertInstanceOf(Result.Full.class, full.get());
            var other = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "carol", 5, "guest", null, "for carol"), 3, other);
            other.ok();

            var waiting = offline(store, "bob");

            assertEquals(
                    List.of("m0", "m1", "m2"),
                    waiting.stream().map(OfflineMessage::text).toList());
            assertEquals(2_000_000L, waiting.get(2).createdMillis());
            assertEquals("ann", waiting.get(0).senderUser());
            // Private messages are not room history.
            assertEquals(List.of(), history(store, "bob", 10));

            store.deleteOffline(waiting.stream().map(OfflineMessage::id).toList());
            append(store, line("lobby", "queued after the delete, so committed after it"));
            assertEquals(List.of(), offline(store, "bob"));
            assertEquals(
                    List.of("for carol"),
                    offline(store, "carol").stream().map(OfflineMessage::text).toList());
            var again = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 6, "ann", "ann", "room again"), 3, again);
            again.ok();
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void textRoundTripsAsUtf8WithFourByteCharacters(Db db) throws Exception {
        var target = target(db);
        var text = "emoji 😀🎉🐙 cjk 日本語 accents é ñ ü ß music 𝄞 math 𝔸 arabic مرحبا";
        var sender = "zoë🐙";
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            append(store, new StoredLine(0, "lobby", 1_700_000_000_999L, "act", sender, null, "n", 1, text));
            var stored = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "bob", 7, sender, null, text), 10, stored);
            stored.ok();

            var line = history(store, "lobby", 1).getFirst();
            assertEquals(text, line.text());
            assertEquals(sender, line.senderName());
            assertEquals("act", line.kind());
            assertEquals(1_700_000_000_999L, line.createdMillis());
            assertEquals(text, offline(store, "bob").getFirst().text());
        }
        assertEquals(List.of(text), List.copyOf(rows(target, "lobby").values()));
        if (db == Db.MARIADB) {
            try (var connection = DriverManager.getConnection(target.url(), target.user(), target.password());
                    var query = connection.prepareStatement("SELECT CHARACTER_SET_NAME FROM information_schema.COLUMNS"
                            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'data' AND COLUMN_NAME = 'data'");
                    var result = query.executeQuery()) {
                assertTrue(result.next());
                assertEquals("utf8mb4", result.getString(1));
            }
        }
    }

    private static BrokerMessage broker(String channel, long messageId, String data) {
        return new BrokerMessage(0, messageId, channel, 1_700_000_000_000L + messageId, "sender1", "node1", 4, data);
    }

    private static List<BrokerMessage> waiting(Store store, String channel, int limit) throws Exception {
        var answer = new Answer<List<BrokerMessage>>();
        store.brokerWaiting(channel, limit, answer);
        return answer.ok();
    }

    private static List<Long> rowIds(List<BrokerMessage> messages) {
        return messages.stream().map(BrokerMessage::rowId).toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void brokerMessagesKeepTheirIdsInOrderAcrossReopeningAndStayOutOfHistoryAndOffline(Db db) throws Exception {
        var target = target(db);
        var rowIds = new ArrayList<Long>();
        long lineId;
        long offlineId;
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            lineId = append(store, line("sms", "a person in #sms"));
            var offline = new Answer<Long>();
            store.storeOffline(new OfflineMessage(0, "sms", 1, "ann", "ann", "for a user called sms"), 5, offline);
            offlineId = offline.ok();
            // A burst: every call before any answer; the ids come back in call order.
            var answers = new ArrayList<Answer<Long>>();
            for (int i = 0; i < 50; i++) {
                var answer = new Answer<Long>();
                answers.add(answer);
                store.storeBroker(
                        broker(i % 10 == 9 ? "other" : "sms", 1000 + i, "{\"n\":" + i + ",\"s\":\"é🎉\"}"), answer);
            }
            for (var answer : answers) {
                rowIds.add(answer.ok());
            }
            for (int i = 1; i < rowIds.size(); i++) {
                assertTrue(rowIds.get(i) > rowIds.get(i - 1), "ids in call order: " + rowIds);
            }
            var sms = waiting(store, "sms", 100);
            assertEquals(45, sms.size());
            assertEquals(
                    new BrokerMessage(
                            rowIds.get(0),
                            1000,
                            "sms",
                            1_700_000_000_000L + 1000,
                            "sender1",
                            "node1",
                            4,
                            "{\"n\":0,\"s\":\"é🎉\"}"),
                    sms.getFirst());
            assertEquals(rowIds.subList(0, 5), rowIds(waiting(store, "sms", 5)));
            assertEquals(
                    List.of(1009L, 1019L, 1029L, 1039L, 1049L),
                    waiting(store, "other", 10).stream()
                            .map(BrokerMessage::messageId)
                            .toList());
            assertEquals(
                    List.of(lineId),
                    history(store, "sms", 100).stream().map(StoredLine::id).toList());
            assertEquals(
                    List.of(offlineId),
                    offline(store, "sms").stream().map(OfflineMessage::id).toList());

            // Only broker rows go: the line's and the offline message's ids are passed too, and stay.
            store.deleteBroker(List.of(rowIds.get(0), rowIds.get(1), lineId, offlineId));
            store.deleteOffline(List.of(rowIds.get(2)));
            append(store, line("elsewhere", "queued after the deletes, so committed after them"));
            assertEquals(
                    List.of(lineId),
                    history(store, "sms", 100).stream().map(StoredLine::id).toList());
            assertEquals(
                    List.of(offlineId),
                    offline(store, "sms").stream().map(OfflineMessage::id).toList());
        }
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            var sms = waiting(store, "sms", 100);
            assertEquals(43, sms.size());
            assertEquals(rowIds.get(2), sms.getFirst().rowId());
            assertEquals(1002L, sms.getFirst().messageId());
            assertEquals(1048L, sms.getLast().messageId());
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aDatabaseAtStepOneOfThePreviousReleaseMigratesAndKeepsItsRows(Db db) throws Exception {
        var target = target(db);
        PreviousSchema.create(db, target.url(), target.user(), target.password());
        assertEquals(1, schemaSteps(target));
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            assertEquals(
                    List.of(PreviousSchema.LINE),
                    history(store, "lobby", 10).stream().map(StoredLine::text).toList());
            assertEquals(
                    List.of(PreviousSchema.OFFLINE),
                    offline(store, "bob").stream().map(OfflineMessage::text).toList());
            var stored = new Answer<Long>();
            store.storeBroker(broker("lobby", 77, "[1,2]"), stored);
            long id = stored.ok();
            assertEquals(
                    List.of(new BrokerMessage(id, 77, "lobby", 1_700_000_000_077L, "sender1", "node1", 4, "[1,2]")),
                    waiting(store, "lobby", 10));
            assertEquals(1, history(store, "lobby", 10).size());
        }
        assertEquals(Schema.LATEST, schemaSteps(target));
        // Opening again applies nothing more.
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            assertEquals(1, waiting(store, "lobby", 10).size());
        }
        assertEquals(Schema.LATEST, schemaSteps(target));
    }

    @ParameterizedTest
    @EnumSource(
            value = Db.class,
            names = {"MARIADB", "POSTGRESQL"})
    void aBrokerReadOnAConnectionTheRestartedServerDroppedIsRetriedOnANewOne(Db db) throws Exception {
        var target = target(db);
        try (var store = Store.open(target.settings(), Runnable::run, LOG)) {
            var first = new Answer<Long>();
            store.storeBroker(broker("sms", 1, "1"), first);
            first.ok();
            assertEquals(1, waiting(store, "sms", 10).size());

            target.server().stop();
            target.server().start();
            // The writer finds its connection gone and reconnects; the reader's is stale until its next read.
            var second = new Answer<Long>();
            store.storeBroker(broker("sms", 2, "2"), second);
            second.ok();

            assertEquals(
                    List.of(1L, 2L),
                    waiting(store, "sms", 10).stream()
                            .map(BrokerMessage::messageId)
                            .toList());
        }
    }

    private ChildProcess driver(Target target, int queueMax, String room) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ChildProcess.startWithInput(
                List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StoreDriver.class.getName(),
                        target.url(),
                        target.user() == null ? "-" : target.user(),
                        target.password() == null ? "-" : target.password(),
                        Integer.toString(queueMax),
                        "100",
                        "1000",
                        room),
                Map.of(),
                dir);
    }

    private static List<String> lines(ChildProcess child, String prefix) {
        return child.output().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static long count(ChildProcess child, String fragment) {
        return child.output().stream().filter(l -> l.contains(fragment)).count();
    }

    @ParameterizedTest
    @EnumSource(
            value = Db.class,
            names = {"MARIADB", "POSTGRESQL"})
    void aDatabaseStoppedUnderLoadQueuesUpToTheMaxThenDrainsEverythingInOrder(Db db) throws Exception {
        var target = target(db);
        int queueMax = 2000;
        var expected = new ArrayList<String>();
        try (var child = driver(target, queueMax, "load")) {
            child.awaitOutput("event=store_up", Duration.ofSeconds(60));
            child.send("append 200 before");
            IntStream.range(0, 200).forEach(i -> expected.add("before-" + i));
            Await.until(
                    Duration.ofSeconds(60),
                    "200 commits",
                    () -> lines(child, "ok before-").size() == 200);

            target.server().stop();
            for (int round = 0; round < 5; round++) {
                child.send("append 500 down" + round);
            }
            child.awaitOutput("appended down4 ", Duration.ofSeconds(60));
            // Nothing commits while the server is stopped: exactly queueMax writes wait, the rest are refused.
            int accepted = 0;
            int refused = 0;
            for (var report : lines(child, "appended down")) {
                var fields = report.split(" ", -1);
                int a = Integer.parseInt(fields[2].substring("accepted=".length()));
                accepted += a;
                refused += Integer.parseInt(fields[3].substring("refused=".length()));
                var round = fields[1];
                IntStream.range(0, a).forEach(i -> expected.add(round + "-" + i));
            }
            assertEquals(queueMax, accepted, child.outputText());
            assertEquals(2500 - queueMax, refused);
            child.awaitOutput("event=store_down", Duration.ofSeconds(60));
            assertEquals(0, lines(child, "ok down").size(), "committed while the server was stopped");

            target.server().start();
            child.awaitOutput("event=store_up .*drained=", Duration.ofSeconds(60));
            Await.until(
                    Duration.ofMinutes(2),
                    "every accepted line to be acknowledged",
                    () -> lines(child, "ok ").size() == expected.size());
            child.send("quit");
            child.awaitOutput("^closed ", Duration.ofSeconds(30));

            assertEquals(1, count(child, "event=store_down"), child.outputText());
            assertEquals(1, count(child, "event=store_recovering"), child.outputText());
            assertEquals(1, count(child, "event=store_up db=" + db.name().toLowerCase(Locale.ROOT) + " drained=0"));
            assertEquals(
                    1,
                    count(child, "event=store_up db=" + db.name().toLowerCase(Locale.ROOT) + " drained=" + queueMax));
            assertEquals(0, lines(child, "failed ").size(), child.outputText());
        }
        assertEquals(expected, List.copyOf(rows(target, "load").values()));
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aJvmKilledWithMinus9LosesNoAcknowledgedLine(Db db) throws Exception {
        var target = target(db);
        var acknowledged = new LinkedHashMap<Long, String>();
        try (var child = driver(target, 50_000, "kill")) {
            child.send("append 20000 k");
            Await.until(
                    Duration.ofSeconds(60),
                    "500 acknowledgements",
                    () -> lines(child, "ok k-").size() >= 500);

            child.process().destroyForcibly();
            child.awaitExit(Duration.ofSeconds(30));

            for (var ok : lines(child, "ok k-")) {
                var fields = ok.split(" ", -1);
                acknowledged.put(Long.parseLong(fields[2]), fields[1]);
            }
            assertTrue(
                    acknowledged.size() < 20_000,
                    "the child finished before it was killed; the test proves nothing: " + acknowledged.size());
        }
        var stored = rows(target, "kill");
        for (var entry : acknowledged.entrySet()) {
            assertEquals(entry.getValue(), stored.get(entry.getKey()), "acknowledged row " + entry.getKey());
        }
        System.err.println("store-it db=" + db + " acknowledged=" + acknowledged.size() + " found=" + stored.size());
        assertTrue(Files.exists(dir));
    }
}
