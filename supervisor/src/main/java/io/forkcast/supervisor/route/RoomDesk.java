package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PeopleList;
import io.forkcast.protocol.message.SupervisorMessage.RoomJoined;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.RoomList;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.text.RoomNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What clients and operators ask of rooms: moving ({@code /join}, {@code /part}), the topic, who is where, the
 * room list, a notice to one room, and the room a resuming worker brings back. The rooms themselves are in {@link
 * RoomBook}; lines are the {@link Router}'s. Confined to the loop thread.
 */
public final class RoomDesk {
    /** The longest topic, in UTF-8 bytes. */
    public static final int MAX_TOPIC_BYTES = 200;

    /** Room for the frame header, the message's own fields and a room name, beside the entries of a part. */
    private static final int PART_OVERHEAD_BYTES = 512;

    private final RoomBook rooms;
    private final Directory directory;
    private final Delivery delivery;
    private final Postman postman;
    private final HistoryDesk history;

    RoomDesk(RoomBook rooms, Directory directory, Delivery delivery, Postman postman, HistoryDesk history) {
        this.rooms = rooms;
        this.directory = directory;
        this.delivery = delivery;
        this.postman = postman;
        this.history = history;
    }

    /**
     * A client of the previous supervisor whose worker did not come back by the end of the adoption window: the
     * members of its room are told it left, as they would have been had they watched it go. Nothing if it is back
     * or its room is gone.
     */
    public void departed(long clientId, long pid, String name, String roomName) {
        var room = roomName == null ? null : rooms.find(roomName);
        if (room == null || directory.byId(clientId) != null) {
            return;
        }
        var frame = postman.encode(new Left(clientId, name, pid));
        if (frame != null) {
            postman.toRoom(room, null, frame);
        }
        postman.counted();
    }

    /**
     * A request to move to the room {@code name} (made if it does not exist and the limit allows), or back to the
     * default room ({@code name} null). The old room is told where the client went, the new one that it came; the
     * client gets the room's topic and who is there, or a notice saying why not.
     */
    public void enter(Member from, long seq, String name) {
        if (!delivery.fresh(from, seq) || from.room == null) {
            return;
        }
        Room target;
        if (name == null) {
            target = rooms.lobby();
        } else {
            name = RoomNames.strip(name);
            String problem = RoomNames.problem(name);
            if (problem != null) {
                postman.send(from, new Notice(problem));
                return;
            }
            target = rooms.findOrMake(name, null);
            if (target == null) {
                postman.send(from, new Notice("too many rooms"));
                return;
            }
        }
        if (target == from.room) {
            postman.send(from, new Notice("you are already in #" + target.name));
            return;
        }
        var ref = from.ref;
        var old = rooms.move(from, target);
        if (old != null) {
            postman.toRoom(
                    old,
                    from,
                    new RoomLeft(from.sender, old.name, target.name),
                    new Left(ref.clientId(), from.name(), ref.pid()));
        }
        postman.toRoom(
                target,
                from,
                new RoomJoined(from.sender, target.name),
                new Joined(ref.clientId(), from.name(), ref.pid()));
        postman.send(from, new Entered(seq, target.name, target.topic));
        sendPeople(from, target.name, people(target));
        if (old != null && rooms.find(old.name) != old) {
            history.dropped(old);
        }
        history.entered(from, target);
    }

    /** {@code /topic TEXT}: sets the topic of the client's room and tells its members; null: tells the client. */
    public void topic(Member from, String text) {
        var room = from.room;
        if (room == null) {
            return;
        }
        if (text == null) {
            postman.send(
                    from,
                    new Notice(
                            room.topic == null
                                    ? "#" + room.name + " has no topic"
                                    : "topic of #" + room.name + ": " + room.topic));
            return;
        }
        String problem = topicProblem(text);
        if (problem != null) {
            postman.send(from, new Notice(problem));
            return;
        }
        room.topic = text;
        rooms.outlet().topic(room, from, text);
        postman.toRoom(
                room,
                null,
                new TopicChanged(from.sender, room.name, text),
                new Notice(from.name() + " (" + from.ref.pid() + ") set the topic: " + text));
    }

    /** Why {@code text} cannot be a topic, or null; null text is a problem too (nothing to set). */
    static String topicProblem(String text) {
        if (text == null || text.isBlank()) {
            return "a topic needs some text";
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            return "a topic has at most " + MAX_TOPIC_BYTES + " bytes, this one has " + bytes;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return "a topic cannot contain control characters";
            }
        }
        return null;
    }

    /**
     * {@code /who}: the people of the asker's room; {@code /who *} ({@code everyone}): everyone, with their rooms. In
     * a federation, the other nodes' people follow this node's (by node name), once they answered or the timeout
     * passed; a node that did not answer is named in a notice after the list.
     */
    public void people(Member asker, boolean everyone) {
        if (!everyone && asker.room == null) {
            return;
        }
        var room = everyone ? null : asker.room;
        var question = new Ask.People(room == null ? null : room.key);
        boolean asked = rooms.outlet().ask(question, gathered -> {
            if (asker.present && asker.receiving) {
                var people = new ArrayList<>(room == null ? everyone() : people(room));
                for (var answer : gathered.answers().values()) {
                    if (answer instanceof Ask.PeopleAnswer p) {
                        people.addAll(p.people());
                    }
                }
                sendPeople(asker, room == null ? null : room.name, people);
                silent(asker, gathered);
            }
        });
        if (!asked) {
            sendPeople(asker, room == null ? null : room.name, room == null ? everyone() : people(room));
        }
    }

    /** Everyone here in a room, with their rooms, in order of arrival. */
    List<Present> everyone() {
        var people = new ArrayList<Present>(directory.size());
        for (var member : directory.all()) {
            if (member.receiving && member.room != null) {
                people.add(new Present(member.sender, member.ref.peer(), member.room.name));
            }
        }
        return people;
    }

    /** Names the nodes that did not answer in time, in one notice; nothing when all did. */
    private void silent(Member asker, Ask.Gathered gathered) {
        String line = gathered.silentLine();
        if (line != null) {
            postman.send(asker, new Notice(line));
        }
    }

    /** Sends {@code people} as a PeopleList, in as many parts as the frame limit takes. */
    private void sendPeople(Member to, String room, List<Present> people) {
        int total = people.size();
        int offset = 0;
        do {
            int end = partEnd(people, offset, RoomDesk::maxBytes);
            postman.send(to, new PeopleList(room, total, offset, people.subList(offset, end)));
            offset = end;
        } while (offset < total);
    }

    /**
     * Where the part of {@code items} that starts at {@code from} ends, so that it fits in one frame by the upper
     * bounds {@code bytes} gives; at least one item.
     */
    private <T> int partEnd(List<T> items, int from, ToIntFunction<T> bytes) {
        int budget = postman.maxFrameBytes() - PART_OVERHEAD_BYTES;
        int end = from;
        while (end < items.size()) {
            budget -= bytes.applyAsInt(items.get(end));
            if (budget < 0 && end > from) {
                break;
            }
            end++;
        }
        return end;
    }

    /** An upper bound of the bytes a string takes in a frame: its length and at most 3 UTF-8 bytes a char. */
    private static int maxBytes(String text) {
        return text == null ? 1 : 5 + 3 * text.length();
    }

    private static int maxBytes(Present p) {
        var who = p.who();
        return 24 + maxBytes(who.node()) + maxBytes(who.name()) + maxBytes(p.peer()) + maxBytes(p.room());
    }

    private static int maxBytes(RoomEntry r) {
        return 8 + maxBytes(r.name()) + maxBytes(r.topic());
    }

    /** The people of {@code room}, in order of arrival, as an Entered or a PeopleList carries them. */
    List<Present> people(Room room) {
        var members = rooms.members(room);
        var people = new ArrayList<Present>(members.size());
        for (var member : members) {
            if (member.receiving) {
                people.add(new Present(member.sender, member.ref.peer(), null));
            }
        }
        return people;
    }

    /**
     * {@code /rooms}: every room with its member count and topic, in order of creation. In a federation the counts
     * are of every node that answered, and a room only other nodes have comes after this node's.
     */
    public void roomList(Member asker) {
        boolean asked = rooms.outlet().ask(new Ask.Rooms(), gathered -> {
            if (asker.present && asker.receiving) {
                sendRooms(asker, merged(roomEntries(), gathered));
                silent(asker, gathered);
            }
        });
        if (!asked) {
            sendRooms(asker, roomEntries());
        }
    }

    private void sendRooms(Member asker, List<RoomEntry> rooms) {
        int total = rooms.size();
        int offset = 0;
        do {
            int end = partEnd(rooms, offset, RoomDesk::maxBytes);
            postman.send(asker, new RoomList(total, offset, rooms.subList(offset, end)));
            offset = end;
        } while (offset < total);
    }

    /** This node's rooms with the other nodes' counts added (by room key), then the rooms only they have. */
    static List<RoomEntry> merged(List<RoomEntry> local, Ask.Gathered gathered) {
        var byKey = new java.util.LinkedHashMap<String, RoomEntry>();
        for (var entry : local) {
            byKey.put(RoomNames.key(entry.name()), entry);
        }
        for (var answer : gathered.answers().values()) {
            if (answer instanceof Ask.RoomsAnswer r) {
                for (var entry : r.rooms()) {
                    byKey.merge(
                            RoomNames.key(entry.name()),
                            entry,
                            (mine, theirs) -> new RoomEntry(
                                    mine.name(),
                                    mine.members() + theirs.members(),
                                    mine.topic() != null ? mine.topic() : theirs.topic()));
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** Every room with its member count and topic, in order of creation. */
    public List<RoomEntry> roomEntries() {
        var entries = new ArrayList<RoomEntry>(rooms.size());
        for (var room : rooms.all()) {
            entries.add(new RoomEntry(room.name, rooms.members(room).size(), room.topic));
        }
        return entries;
    }

    /**
     * Shows {@code text} to every member of the room {@code name} as {@code *** admin: text}; returns how many
     * received it, or -1 if there is no such room.
     */
    public int roomNotice(String name, String text) {
        var room = rooms.find(RoomNames.strip(name));
        if (room == null) {
            return -1;
        }
        var message = new OperatorMessage(postman, text);
        int reached = 0;
        for (var member : rooms.members(room)) {
            var frame = member.receiving ? message.frameFor(member) : null;
            if (frame != null && member.receiving && postman.post(member, frame)) {
                reached++;
            }
        }
        postman.counted();
        return reached;
    }

    /**
     * The room a resuming client goes back to: the first its worker names, made again (with the topic the worker
     * saw) if it is gone; the default room if it names none, names one badly, or there are too many rooms (then
     * with a line for the client in {@code notices}).
     */
    Room roomToResume(List<RoomEntry> wanted, List<String> notices) {
        if (wanted == null || wanted.isEmpty() || wanted.getFirst() == null) {
            return rooms.lobby();
        }
        var entry = wanted.getFirst();
        String name = RoomNames.strip(entry.name());
        if (RoomNames.problem(name) != null) {
            return rooms.lobby();
        }
        String topic = topicProblem(entry.topic()) == null ? entry.topic() : null;
        var room = rooms.findOrMake(name, topic);
        if (room == null) {
            notices.add("#" + name + " could not be kept (too many rooms); you are in #" + rooms.lobby().name);
            return rooms.lobby();
        }
        if (room.topic == null) {
            room.topic = topic;
        }
        return room;
    }
}
