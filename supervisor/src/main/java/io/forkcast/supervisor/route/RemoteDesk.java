package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.RoomJoined;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other nodes' room events, given to the local members of their rooms exactly as local ones are: the same
 * messages, each encoded once per level present, the sender with its own node. Keeps the remote people it has
 * seen (by their joins, lines and renames) so that a node that goes silent has them shown as left. Confined to the
 * loop thread.
 */
public final class RemoteDesk {
    private final Postman postman;
    private final RoomBook rooms;
    /** The local clients by id and nickname, for private lines. */
    private final Directory directory;
    /** The remote people seen, by node, then by client id there: who they are and the room key they are in. */
    private final Map<String, Map<Long, Seen>> people = new HashMap<>();

    private record Seen(Sender who, String room) {}

    /** The tails of history shown on entering, kept up with remote lines; null: none. */
    private final HistoryDesk history;

    RemoteDesk(Frames frames, RoomBook rooms, Directory directory, HistoryDesk history) {
        this.postman = new Postman(frames, rooms);
        this.rooms = rooms;
        this.directory = directory;
        this.history = history;
    }

    /**
     * A private line from another node: to whoever holds its nickname here (each session of a user), or to the
     * client it replies to, as a local one is. Returns the recipient's name, or null when it is not here.
     */
    public String privately(PrivateLine line, String node) {
        var toClient = line.toClient();
        Member target = toClient != null
                ? (node.equals(toClient.node()) ? directory.byId(toClient.clientId()) : null)
                : (line.toNick() == null ? null : directory.byNick(line.toNick()));
        if (target == null || !target.receiving || target.awaitingLogin || target.awaitingOpen) {
            return null;
        }
        var from = line.from();
        var targets = toClient == null && target.user != null ? directory.sessions(target.user) : List.of(target);
        ByteBuffer older = postman.encode(new Notice(from.name() + " (" + from.pid() + ") privately: " + line.text()));
        for (var each : targets) {
            var frame = each.ref.level() >= 3
                    ? postman.encode(new Deliver(
                            new Address.Client(node, each.clientId()), from, line.seq(), Style.SAY, line.text()))
                    : older;
            if (frame != null && each.receiving) {
                postman.post(each, frame);
            }
        }
        postman.counted();
        return target.name();
    }

    /**
     * An event of another node: to the local members of its room (nothing if it has none left here). An arrival
     * of someone already seen in that room (its node restarted, its worker resumed) is not shown again.
     */
    public void received(RoomEvent event) {
        var room = rooms.find(event.room());
        if (room == null || rooms.members(room).isEmpty()) {
            return;
        }
        var who = event.who();
        switch (event) {
            case RoomEvent.Said s -> {
                seen(who, room);
                said(room, s);
                if (history != null) {
                    history.heard(room, who.name(), s.style(), s.text());
                }
            }
            case RoomEvent.Joined j -> {
                var before = seen(who, room);
                if (before != null && before.room().equals(room.key)) {
                    return;
                }
                if (j.from() == null) {
                    postman.toRoom(room, null, postman.encode(new Joined(who.clientId(), who.name(), who.pid())));
                    postman.counted();
                } else {
                    postman.toRoom(
                            room,
                            null,
                            new RoomJoined(who, room.name),
                            new Joined(who.clientId(), who.name(), who.pid()));
                }
            }
            case RoomEvent.Left l -> {
                var known = peopleOf(who.node()).get(who.clientId());
                if (known != null && known.room().equals(room.key)) {
                    peopleOf(who.node()).remove(who.clientId());
                }
                leave(room, who, l.to());
            }
            case RoomEvent.Here h -> seen(who, room);
            case RoomEvent.Renamed r -> {
                seen(who, room);
                postman.toRoom(
                        room, null, postman.encode(new Renamed(who.clientId(), r.oldName(), who.name(), who.pid())));
                postman.counted();
            }
            case RoomEvent.Topic t -> topic(room, t);
        }
    }

    /**
     * A line: Deliver to a level 2 or later worker, Say or Act to an older one, the rendered line to a telnet worker
     * of level 8; each encoded once ({@link LineFrames}).
     */
    private void said(Room room, RoomEvent.Said s) {
        var who = s.who();
        var line = new LineFrames(postman.frames(), room.address, who, who.name(), s.seq(), s.style(), s.text());
        for (var member : rooms.members(room)) {
            if (!member.receiving) {
                continue;
            }
            var frame = line.forMember(member);
            if (frame != null) {
                postman.post(member, frame);
            }
        }
        postman.counted();
    }

    /**
     * Another node's {@code /topic}: set here and told as a local one is. A node's answer about a room this node has
     * just started listening to: taken only if the room has no topic here, and then told to its members.
     */
    private void topic(Room room, RoomEvent.Topic t) {
        if (RoomDesk.topicProblem(t.text()) != null) {
            return; // the other node checked it; a node of another version may not have
        }
        var who = t.who();
        if (t.shown()) {
            seen(who, room);
            room.topic = t.text();
            postman.toRoom(
                    room,
                    null,
                    new TopicChanged(who, room.name, t.text()),
                    new Notice(who.name() + " (" + who.pid() + ") set the topic: " + t.text()));
        } else if (room.topic == null) {
            room.topic = t.text();
            postman.toRoom(room, null, postman.encode(new Notice("topic of #" + room.name + ": " + t.text())));
            postman.counted();
        }
    }

    private void leave(Room room, Sender who, String to) {
        if (to == null) {
            postman.toRoom(room, null, postman.encode(new Left(who.clientId(), who.name(), who.pid())));
            postman.counted();
        } else {
            postman.toRoom(
                    room, null, new RoomLeft(who, room.name, to), new Left(who.clientId(), who.name(), who.pid()));
        }
    }

    /**
     * The node {@code node} went silent: everyone seen of it is shown as left in the rooms that still have local
     * members, and forgotten. Returns how many were.
     */
    public int nodeGone(String node) {
        var gone = people.remove(node);
        if (gone == null) {
            return 0;
        }
        for (var seen : gone.values()) {
            var room = rooms.find(seen.room());
            if (room != null && !rooms.members(room).isEmpty()) {
                leave(room, seen.who(), null);
            }
        }
        return gone.size();
    }

    /** The local people of the room {@code name} (none if it has none), as a node that asks is told them. */
    public List<Sender> roster(String name) {
        var room = rooms.find(name);
        if (room == null) {
            return List.of();
        }
        var people = new java.util.ArrayList<Sender>();
        for (var member : rooms.members(room)) {
            if (member.receiving) {
                people.add(member.sender);
            }
        }
        return people;
    }

    /** The topic of the room {@code name} here, or null (no topic, or no such room). */
    public String topic(String name) {
        var room = rooms.find(name);
        return room == null ? null : room.topic;
    }

    /** How many remote people are known, on every node. */
    public int known() {
        int n = 0;
        for (var each : people.values()) {
            n += each.size();
        }
        return n;
    }

    /** Records {@code who} as in {@code room}; returns what was known of it before, or null. */
    private Seen seen(Sender who, Room room) {
        return peopleOf(who.node()).put(who.clientId(), new Seen(who, room.key));
    }

    private Map<Long, Seen> peopleOf(String node) {
        return people.computeIfAbsent(node, n -> new LinkedHashMap<>());
    }
}
