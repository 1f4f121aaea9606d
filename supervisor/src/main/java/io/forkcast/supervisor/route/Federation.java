package io.forkcast.supervisor.route;

import java.util.function.Consumer;

/**
 * The other nodes of a federation, as the routing domain sees them: where this node's room events go, and which
 * rooms it wants the others' events of (those with local members). Called on the loop thread; an implementation
 * hands what it receives to the {@link RemoteDesk} on the loop thread too. {@link #NONE}: a supervisor alone.
 */
public interface Federation {
    /** Tells the other nodes; never blocks (a bounded buffer, counted when it drops). */
    void publish(RoomEvent event);

    /** From now on, the other nodes' events of the room {@code key} ({@code RoomNames.key}) are wanted. */
    void subscribe(String key);

    /** The room {@code key} has no local members any more: its events are not wanted. */
    void unsubscribe(String key);

    /**
     * Offers a private line to the other nodes; {@code answer} runs later on the loop thread with the name of the
     * one who took it, or null when no node did within a short timeout.
     */
    void privately(PrivateLine line, Consumer<String> answer);

    /** Where the other nodes' events go, on the loop thread; called once, before the loop runs. */
    void attach(RemoteDesk desk);

    /**
     * Asks every other live node {@code question}: {@code then} runs later on the loop thread with each answer and
     * the nodes that did not answer within a short timeout (they are not waited for).
     */
    void ask(Ask.Question question, Consumer<Ask.Gathered> then);

    /** Where the other nodes' questions are answered, on the loop thread; called once, before the loop runs. */
    void attach(Census census);

    /** No other nodes: nothing is published, nothing arrives. */
    Federation NONE = new Federation() {
        @Override
        public void publish(RoomEvent event) {}

        @Override
        public void subscribe(String key) {}

        @Override
        public void unsubscribe(String key) {}

        @Override
        public void privately(PrivateLine line, Consumer<String> answer) {
            answer.accept(null);
        }

        @Override
        public void attach(RemoteDesk desk) {}

        @Override
        public void ask(Ask.Question question, Consumer<Ask.Gathered> then) {
            then.accept(Ask.Gathered.NONE);
        }

        @Override
        public void attach(Census census) {}
    };
}
