package io.forkcast.supervisor.route;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where broker messages wait for a receiver: seed 000's store-and-forward, as the routing domain sees it. Every call
 * returns at once; answers run on the loop thread. The supervisor's wiring implements it over its store; {@link
 * #NONE} keeps nothing.
 */
public interface BrokerQueue {
    /** A message read back from the store: its row, the id its sender was given, and its data (compact JSON). */
    record Waiting(long rowId, long id, String data) {}

    /** False when there is no store: messages live in memory only. */
    boolean enabled();

    /**
     * Stores a message of {@code channelKey} under {@code id}; {@code then} gets its row id once committed, or null
     * when the store failed to write it. False (and {@code then} is not called) when the store's queue is full.
     */
    boolean store(String channelKey, long id, Member from, String data, Consumer<Long> then);

    /** The first {@code limit} messages waiting on {@code channelKey}, oldest first; null when the store is down. */
    void waiting(String channelKey, int limit, Consumer<List<Waiting>> then);

    /** Deletes the rows of messages every receiver that got them has acknowledged. */
    void forget(List<Long> rowIds);

    /** No store. */
    BrokerQueue NONE = new BrokerQueue() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean store(String channelKey, long id, Member from, String data, Consumer<Long> then) {
            return false;
        }

        @Override
        public void waiting(String channelKey, int limit, Consumer<List<Waiting>> then) {
            then.accept(List.of());
        }

        @Override
        public void forget(List<Long> rowIds) {}
    };
}
