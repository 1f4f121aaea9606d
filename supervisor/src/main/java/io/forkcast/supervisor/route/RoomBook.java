package io.forkcast.supervisor.route;

import io.forkcast.protocol.text.RoomNames;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every room and who is in it: the rooms by name (case-insensitive, in order of creation), their members
 * ({@link Rooms}), and each member's current room, the one its lines go to. A room is made when someone enters it
 * and disappears, with its topic, when the last member leaves, unless it is configured; the default room and the
 * configured ones exist from the start. A move, a lookup and the members of a room cost O(1) per member involved,
 * never O(clients). Confined to the loop thread.
 */
public final class RoomBook {
    /** A room the configuration lists, with its topic (null for none). */
    public record Configured(String name, String topic) {}

    /** Each room by {@link RoomNames#key}, in order of creation. */
    private final Map<String, Room> byKey = new LinkedHashMap<>();
    /** Who is in which room, keyed by {@link Room#key}. */
    private final Rooms<Member> members = new Rooms<>();
    /** Where every client starts, and where {@code /part} goes; fixed, and configured (never removed). */
    private final Room lobby;
    /** Most rooms at once, configured ones included; replaced on reload. */
    private int max;
    /** Members placed in a room since start; counted by place. */
    private long moves;
    /** What the other nodes of a federation are told, and the rooms listened to; inert until {@link #federate}. */
    private Outlet outlet = new Outlet(Federation.NONE, this);
    /** The history tails shown on entering a room, set by the Router; null in tests without one. */
    private HistoryDesk history;

    /**
     * @param defaultRoom the default room's name, valid by {@link RoomNames}
     * @param configured rooms kept while empty, valid names; the default room may be among them (for its topic)
     */
    public RoomBook(String defaultRoom, List<Configured> configured, int max) {
        this.max = max;
        for (var room : configured) {
            String key = RoomNames.key(room.name());
            byKey.putIfAbsent(key, new Room(key, room.name(), true, room.topic()));
        }
        String key = RoomNames.key(defaultRoom);
        byKey.putIfAbsent(key, new Room(key, defaultRoom, true, null));
        lobby = byKey.get(key);
    }

    /**
     * Shares these rooms with the other nodes of {@code federation}: their events reach local members through a
     * {@link RemoteDesk} on {@code frames} (private lines to the clients of {@code directory}), local events go
     * to them. Called once, before the loop runs.
     */
    public void federate(Federation federation, Frames frames, Directory directory) {
        outlet = new Outlet(federation, this, history);
        federation.attach(new RemoteDesk(frames, this, directory, history));
    }

    /** The history tails a federation keeps up with the other nodes' lines (the Router's); returns it. */
    HistoryDesk historyOf(HistoryDesk tails) {
        this.history = tails;
        return tails;
    }

    /** What the other nodes are told. */
    Outlet outlet() {
        return outlet;
    }

    /** The default room. */
    public Room lobby() {
        return lobby;
    }

    /** The room named {@code name} in any case (without {@code #}), or null. */
    public Room find(String name) {
        return name == null ? null : byKey.get(RoomNames.key(name));
    }

    /**
     * The room named {@code name}, made (with {@code topic}) if there is none and the limit allows; null when
     * it would be one room too many. The caller has checked the name.
     */
    Room findOrMake(String name, String topic) {
        var room = find(name);
        if (room != null) {
            return room;
        }
        if (byKey.size() >= max) {
            return null;
        }
        String key = RoomNames.key(name);
        room = new Room(key, name, false, topic);
        byKey.put(key, room);
        return room;
    }

    /** Puts {@code member}, in no room yet, in {@code room} (which it then speaks in). */
    void place(Member member, Room room) {
        place(member, room, null);
    }

    private void place(Member member, Room room, Room from) {
        moves++;
        members.join(member, room.key);
        member.room = room;
        outlet.joined(member, room, from);
    }

    /**
     * Moves {@code member} from its room to {@code to}; returns the room it left, or null if it was in none. The
     * room left disappears if it is empty and not configured.
     */
    Room move(Member member, Room to) {
        var from = member.room;
        if (from != null) {
            members.leave(member, from.key);
            dropIfEmpty(from);
            outlet.left(member, from, to);
        }
        place(member, to, from);
        return from;
    }

    /** Takes {@code member} out of every room; returns the room it was in, or null. */
    Room remove(Member member) {
        var from = member.room;
        members.leaveAll(member);
        member.room = null;
        if (from != null) {
            dropIfEmpty(from);
            outlet.left(member, from, null);
        }
        return from;
    }

    private void dropIfEmpty(Room room) {
        if (!room.configured && members.members(room.key).isEmpty()) {
            byKey.remove(room.key);
        }
    }

    /** Members placed in a room since start (a move is a place): the clients file is written again. */
    public long moves() {
        return moves;
    }

    /** The members of {@code room} in order of arrival: a live, read-only view. */
    public Set<Member> members(Room room) {
        return members.members(room.key);
    }

    /** Every room, in order of creation: a live, read-only view. */
    public Collection<Room> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }

    public int size() {
        return byKey.size();
    }

    public int max() {
        return max;
    }

    /** A new limit (a reload); rooms beyond it stay, but no new one is made until there are fewer. */
    public void max(int next) {
        max = next;
    }
}
