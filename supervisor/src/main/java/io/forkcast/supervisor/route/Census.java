package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.text.Nicknames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This node's answers to the other nodes' questions ({@link Ask}): its people, its rooms, whether a nickname is
 * held here, its admin LIST lines. Also holds the nicknames this node is asking the others about, which count as
 * taken while they are asked: of two nodes asking for the same nickname at once, the one whose node name sorts
 * first gets it (each tells the other it is held; the other tells it it is free). Confined to the loop thread.
 */
public final class Census {
    private final String node;
    private final RoomBook rooms;
    private final Directory directory;
    private final RoomDesk desk;
    /** The nicknames being asked about, by {@link Nicknames#key}, to whom they would go; NickDesk changes it. */
    private final Map<String, Member> reserved = new HashMap<>();
    /** The admin socket's LIST lines with node=; set by the admin socket, none until then. */
    private Supplier<List<String>> clientLines = List::of;

    Census(String node, RoomBook rooms, Directory directory, RoomDesk desk) {
        this.node = node;
        this.rooms = rooms;
        this.directory = directory;
        this.desk = desk;
    }

    /** Where {@link Ask.Clients} is answered from (the admin socket's LIST lines, with node=). */
    public void clientLines(Supplier<List<String>> lines) {
        this.clientLines = lines;
    }

    /** What this node answers {@code question} of the node {@code from}. */
    public Ask.Answer answer(Ask.Question question, String from) {
        return switch (question) {
            case Ask.People p -> new Ask.PeopleAnswer(p.room() == null ? desk.everyone() : room(p.room()));
            case Ask.Rooms r -> new Ask.RoomsAnswer(desk.roomEntries());
            case Ask.Nick n -> new Ask.NickAnswer(held(n.nick(), from));
            case Ask.Clients c -> new Ask.ClientsAnswer(clientLines.get());
        };
    }

    /**
     * Held here: someone has it, or this node is asking for it too and sorts before {@code from} (so that of two
     * nodes asking at once exactly one is told it is free).
     */
    boolean held(String nick, String from) {
        if (directory.byNick(nick) != null) {
            return true;
        }
        return reserved.containsKey(Nicknames.key(nick)) && node.compareTo(from) < 0;
    }

    /** The people here in the room {@code key}, without their room. */
    List<Present> room(String key) {
        var room = rooms.find(key);
        return room == null ? List.of() : desk.people(room);
    }

    /** True if {@code nick} is being asked about for someone else than {@code asker}. */
    boolean reservedForOther(String nick, Member asker) {
        var holder = reserved.get(Nicknames.key(nick));
        return holder != null && holder != asker;
    }

    void reserve(String nick, Member member) {
        reserved.put(Nicknames.key(nick), member);
    }

    void release(String nick, Member member) {
        reserved.remove(Nicknames.key(nick), member);
    }
}
