package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A question every other node of a federation is asked ({@code /who}, {@code /who *}, {@code /rooms}, a nickname,
 * admin {@code LIST ALL}), what one node answers, and what the asker gathers within the timeout. Immutable.
 */
public final class Ask {
    private Ask() {}

    /** What a node is asked about its own clients. */
    public sealed interface Question {}

    /** The people of the room {@code room} (its key), or ({@code room} null) everyone, with their rooms. */
    public record People(String room) implements Question {}

    /** Every room with its member count and topic. */
    public record Rooms() implements Question {}

    /** Whether someone holds (or is about to be given) the nickname {@code nick}. */
    public record Nick(String nick) implements Question {}

    /** The admin socket's LIST lines, each with {@code node=}. */
    public record Clients() implements Question {}

    /** What one node answers. */
    public sealed interface Answer {}

    /** Its people (each with its room for a question about everyone, without for one room). */
    public record PeopleAnswer(List<Present> people) implements Answer {}

    /** Its rooms. */
    public record RoomsAnswer(List<RoomEntry> rooms) implements Answer {}

    /** Whether the nickname is held there. */
    public record NickAnswer(boolean held) implements Answer {}

    /** Its LIST lines. */
    public record ClientsAnswer(List<String> lines) implements Answer {}

    /**
     * What the asker gathered: each node's answer by node name, in name order, and the nodes it expected that did
     * not answer within the timeout (in name order).
     */
    public record Gathered(SortedMap<String, Answer> answers, List<String> silent) {
        /** Nobody asked: a supervisor alone. */
        public static final Gathered NONE = new Gathered(new TreeMap<>(), List.of());

        public Gathered {
            answers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(answers));
            silent = List.copyOf(silent);
        }

        /** {@code node c did not answer}, {@code nodes b, c did not answer}; null when every node answered. */
        public String silentLine() {
            if (silent.isEmpty()) {
                return null;
            }
            return (silent.size() == 1 ? "node " : "nodes ") + String.join(", ", silent) + " did not answer";
        }
    }
}
