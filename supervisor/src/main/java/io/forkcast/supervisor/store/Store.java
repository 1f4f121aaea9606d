package io.forkcast.supervisor.store;

import io.forkcast.protocol.log.EventLog;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Room history, offline private messages, broker messages waiting for a receiver and MQTT sessions and
 * retained messages, kept in a database. Every method returns at once and never
 * touches the database on the caller's thread: writes join a bounded queue that the store's writer commits in
 * batches, reads go to its reader, and each answer runs on {@code onLoop} (the relay loop, given to {@link
 * #open}). A write is answered {@link Result.Ok} only once it is committed. Thread-safe.
 */
public interface Store extends AutoCloseable {
    /** The url that turns storing off. */
    String NONE = "none";

    /**
     * A store for {@code settings.url()}: {@code none} gives one that answers {@link Result.Off} to everything;
     * {@code jdbc:h2:...}, {@code jdbc:mariadb:...} and {@code jdbc:postgresql:...} one that connects, creates or
     * migrates its tables in the background (state {@link StoreState#DOWN} until it has), so a dead database
     * never holds up the caller. Any other url throws {@link IllegalArgumentException} with the reason.
     */
    static Store open(StoreSettings settings, Executor onLoop, EventLog log) {
        if (NONE.equals(settings.url())) {
            return new OffStore(onLoop);
        }
        return JdbcStore.start(settings, Dialect.of(settings.url()), onLoop, log);
    }

    /** Null if {@code url} is one {@link #open} takes, otherwise the reason it is not (one line, for config). */
    static String urlProblem(String url) {
        if (NONE.equals(url)) {
            return null;
        }
        try {
            Dialect.of(url);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** False for the store of {@code store_url = none}. */
    boolean enabled();

    /**
     * Queues a room line for history. False when the queue holds {@code store_queue_max} writes (the caller tells
     * the sender) or the store is closed. {@code then}, if not null, runs on the loop after COMMIT with the row
     * id, or with {@link Result.Failed}. Never blocks.
     */
    boolean appendLine(StoredLine line, Consumer<Result<Long>> then);

    /** The last {@code limit} lines of {@code room} (room key, lowercase), oldest first. */
    void history(String room, int limit, Consumer<Result<List<StoredLine>>> then);

    /**
     * Stores a private message for an absent registered user; the answer comes after COMMIT: Ok(id), {@link
     * Result.Full} when the user already has {@code offlineMax} messages waiting, otherwise {@link Result.Off},
     * {@link Result.Failed} or {@link Result.Refused} (queue full).
     */
    void storeOffline(OfflineMessage message, int offlineMax, Consumer<Result<Long>> then);

    /** The user's waiting messages (recipient key, lowercase), oldest first. */
    void offlineFor(String user, Consumer<Result<List<OfflineMessage>>> then);

    /**
     * Deletes delivered offline messages, queued like any write. When the queue is full they are not deleted
     * (counted as refused) and come again at the user's next login: at least once, never lost.
     */
    void deleteOffline(List<Long> ids);

    /**
     * Stores a broker message that waits for a receiver on its channel; the answer comes after COMMIT: Ok(row id),
     * {@link Result.Refused} when the queue is full, {@link Result.Off} when storing is off, otherwise {@link
     * Result.Failed}. Stores queued in one turn commit in one transaction, their row ids in the order of the calls.
     */
    void storeBroker(BrokerMessage message, Consumer<Result<Long>> then);

    /** At most {@code limit} broker messages waiting on {@code channel} (channel key, lowercase), oldest first. */
    void brokerWaiting(String channel, int limit, Consumer<Result<List<BrokerMessage>>> then);

    /**
     * Deletes acknowledged broker messages by row id (broker rows only), queued like any write. When the queue is
     * full they are not deleted (counted as refused) and are delivered again: at least once, never lost.
     */
    void deleteBroker(List<Long> rowIds);

    /**
     * Queues a change to the MQTT rows (sessions that outlive their connection, their messages, retained
     * messages); {@code then}, if not null, gets Ok(0) after COMMIT, {@link Result.Refused} when the queue is full,
     * {@link Result.Off} when storing is off, otherwise {@link Result.Failed}. Writes commit in the order queued.
     */
    void mqtt(MqttWrite write, Consumer<Result<Long>> then);

    /** Everything kept of MQTT: sessions with their subscriptions, their messages oldest first, retained ones. */
    void mqttState(Consumer<Result<MqttState>> then);

    StoreStats stats();

    /** Writes what it can of the queue within a short bound (2 s), fails the rest, closes its connections. */
    @Override
    void close();
}
