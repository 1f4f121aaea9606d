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
 * first gets it (it tells the other it is held; the other tells it it is free); and the nicknames another node
 * asked about lately, which are taken here until that node has had its answers. Confined to the loop thread.
 */
public final class Census {
    private final String node;
    private final RoomBook rooms;
    private final Directory directory;
    private final RoomDesk desk;
    /** The nicknames being asked about, by {@link Nicknames#key}, to whom they would go; NickDesk changes it. */
    private final Map<String, Member> reserved = new HashMap<>();
    /**
     * Nicknames other nodes asked about in the last {@link #CLAIM_NANOS} and were told are free here, by key, to
     * when the claim ends: a request here meanwhile is refused, or both could be given it.
     */
    private final Map<String, Long> claimed = new HashMap<>();
    /** How long another node's question keeps a nickname taken here: beyond its one second of asking. */
    static final long CLAIM_NANOS = 2_000_000_000L;
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
        String key = Nicknames.key(nick);
        if (reserved.containsKey(key)) {
            return node.compareTo(from) < 0;
        }
        long now = System.nanoTime();
        if (claimed.size() > 256) {
            claimed.values().removeIf(until -> until - now < 0);
        }
        claimed.put(key, now + CLAIM_NANOS);
        return false;
    }

    /** True while another node is being given {@code nick} (it asked lately and was told it is free here). */
    boolean claimedElsewhere(String nick) {
        Long until = claimed.get(Nicknames.key(nick));
        return until != null && until - System.nanoTime() > 0;
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
