package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.PastLine;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the routing domain keeps in the store: room lines for history, and private lines for registered users who
 * are away. Every call returns at once; results come back on the loop thread. The supervisor's wiring implements
 * it over its store; {@link #NONE} keeps nothing.
 */
public interface Archive {
    /** What became of a private line for an absent user. */
    enum Kept {
        /** Committed: it will be delivered at the user's next login. */
        STORED,
        /** The user already has offline_max messages waiting. */
        FULL,
        /** The store is off. */
        OFF,
        /** The store's queue is full (it is down or slow). */
        REFUSED,
        /** The store failed to write it. */
        FAILED
    }

    /** Private lines waiting for a user, with the ids to forget once they are delivered. */
    record Away(List<PastLine> lines, List<Long> ids) {}

    /** False when there is no store: nothing is kept, and clients are told so. */
    boolean enabled();

    /** Queues a line of {@code roomKey} for history; false when the store's queue is full (the line is not kept). */
    boolean keepLine(String roomKey, Member from, PastLine line);

    /** The last {@code limit} lines of {@code roomKey}, oldest first; {@code then} gets null when the store is down. */
    void lastLines(String roomKey, int limit, Consumer<List<PastLine>> then);

    /** Stores a private line for the user {@code userKey}, who is away; {@code then} gets the outcome once known. */
    void keepPrivate(String userKey, Member from, PastLine line, int max, Consumer<Kept> then);

    /** The private lines waiting for {@code userKey}, oldest first; {@code then} gets null when the store is down. */
    void awayLines(String userKey, Consumer<Away> then);

    /** Forgets private lines once delivered. */
    void forget(List<Long> ids);

    /** No store. */
    Archive NONE = new Archive() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean keepLine(String roomKey, Member from, PastLine line) {
            return true;
        }

        @Override
        public void lastLines(String roomKey, int limit, Consumer<List<PastLine>> then) {
            then.accept(List.of());
        }

        @Override
        public void keepPrivate(String userKey, Member from, PastLine line, int max, Consumer<Kept> then) {
            then.accept(Kept.OFF);
        }

        @Override
        public void awayLines(String userKey, Consumer<Away> then) {
            then.accept(new Away(List.of(), List.of()));
        }

        @Override
        public void forget(List<Long> ids) {}
    };
}
