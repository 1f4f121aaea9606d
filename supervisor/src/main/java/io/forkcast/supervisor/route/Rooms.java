package io.forkcast.supervisor.route;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;

/**
 * Room to members and member to rooms, kept together: both maps change in the same method, as Redis keeps
 * {@code server.pubsub_channels} beside each client's own set of channels. Members of a room are in order of
 * arrival. Today every client is in the one room everyone shares; named rooms are the same structure. Confined to
 * the loop thread.
 *
 * @param <M> a member; compared by {@code equals}, identity for {@link Member}
 */
public final class Rooms<M> {
    /** Each room with at least one member, to its members in order of arrival; an empty room is removed. */
    private final Map<String, SequencedSet<M>> members = new HashMap<>();
    /** Each member in at least one room, to its rooms in order of joining. */
    private final Map<M, SequencedSet<String>> rooms = new HashMap<>();

    /** Puts {@code member} in {@code room}; false if it was there already. */
    public boolean join(M member, String room) {
        if (!members.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(member)) {
            return false;
        }
        rooms.computeIfAbsent(member, m -> new LinkedHashSet<>()).add(room);
        return true;
    }

    /** Takes {@code member} out of {@code room}; false if it was not in it. */
    public boolean leave(M member, String room) {
        var inRoom = members.get(room);
        if (inRoom == null || !inRoom.remove(member)) {
            return false;
        }
        if (inRoom.isEmpty()) {
            members.remove(room);
        }
        var itsRooms = rooms.get(member);
        itsRooms.remove(room);
        if (itsRooms.isEmpty()) {
            rooms.remove(member);
        }
        return true;
    }

    /** Takes {@code member} out of every room; returns the rooms it was in, in order of joining. */
    public List<String> leaveAll(M member) {
        var itsRooms = rooms.remove(member);
        if (itsRooms == null) {
            return List.of();
        }
        for (String room : itsRooms) {
            var inRoom = members.get(room);
            inRoom.remove(member);
            if (inRoom.isEmpty()) {
                members.remove(room);
            }
        }
        return new ArrayList<>(itsRooms);
    }

    /** The members of {@code room} in order of arrival: a live, read-only view; empty if nobody is in it. */
    public Set<M> members(String room) {
        var inRoom = members.get(room);
        return inRoom == null ? Set.of() : Collections.unmodifiableSet(inRoom);
    }

    /** The rooms {@code member} is in, in order of joining: a live, read-only view. */
    public Set<String> roomsOf(M member) {
        var itsRooms = rooms.get(member);
        return itsRooms == null ? Set.of() : Collections.unmodifiableSet(itsRooms);
    }

    /** The number of rooms with at least one member. */
    public int roomCount() {
        return members.size();
    }
}
