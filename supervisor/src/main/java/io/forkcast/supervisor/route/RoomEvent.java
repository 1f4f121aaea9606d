package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Style;

/**
 * What happened in a room, as one node tells the others of a federation: a line, an arrival, a departure, a
 * rename. Its sender carries the node it is connected to, so ids of different nodes never collide. Immutable.
 */
public sealed interface RoomEvent {
    /** The room's name, without {@code #}. */
    String room();

    /** Who did it, with its node; after a rename, its new name. */
    Sender who();

    /** A line ({@code style} SAY) or a {@code /me} (ACT); {@code seq} is its sender's, for the workers' filter. */
    record Said(String room, Sender who, long seq, Style style, String text) implements RoomEvent {}

    /** {@code who} came into the room, from the room {@code from} (null: it arrived at its node). */
    record Joined(String room, Sender who, String from) implements RoomEvent {}

    /** {@code who} left the room for the room {@code to} (null: it left its node). */
    record Left(String room, Sender who, String to) implements RoomEvent {}

    /**
     * {@code who} is in the room: told, not shown, to a node that has just started listening to it, so that it
     * knows the people already there (and can show them as left if their node dies).
     */
    record Here(String room, Sender who) implements RoomEvent {}

    /** {@code who} was known in the room as {@code oldName}. */
    record Renamed(String room, Sender who, String oldName) implements RoomEvent {}

    /**
     * The room's topic is {@code text}: set by {@code who} with {@code /topic} ({@code shown}: told to the room's
     * members as a local change is), or (not shown) told to a node that has just started listening to the room,
     * which takes it if it has none; then {@code who} is the answering node with client id 0.
     */
    record Topic(String room, Sender who, String text, boolean shown) implements RoomEvent {}
}
