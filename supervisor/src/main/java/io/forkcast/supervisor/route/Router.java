package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.text.Nicknames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Takes facts from clients and decides who receives what: a line goes to the other members of its room, a join,
 * rename or leave to the other members of the client's rooms, an answer to the asker. Each message is encoded once
 * per protocol level present among its recipients and the same bytes go to every mailbox: a level-1 worker gets
 * Say/Act and Welcome, a level-2 one Deliver and Welcome2. A line costs O(members of its room). Confined to the
 * loop thread.
 */
public final class Router {
    /** The room every client is in today; the empty name is no valid room name, so it never meets a named room. */
    public static final String EVERYONE = "";

    private static final Address TO_EVERYONE = new Address.Everyone();

    /** This supervisor's node name, in Welcome2 and every level-2 Sender; fixed. */
    private final String node;

    private final Frames frames;
    private final Delivery delivery;
    private final Rooms<Member> rooms = new Rooms<>();
    private final Directory directory = new Directory();
    /** The limits workers enforce; replaced on reload. */
    private Limits limits;
    /** The motd, one Notice frame per line, encoded once; replaced on reload. */
    private List<ByteBuffer> motd = List.of();
    /** Lines and notices relayed since start (one per message, whatever its number of recipients). */
    private long framesRelayed;

    public Router(String node, Frames frames, Delivery delivery, Limits limits, List<String> motdLines) {
        this.node = node;
        this.frames = frames;
        this.delivery = delivery;
        this.limits = limits;
        motd(motdLines);
    }

    // ---- Clients arriving ----

    /** A new client: welcomed at its level, greeted with the motd, announced to the others. */
    public Member join(ClientRef ref, Mailbox mailbox) {
        var member = admit(ref, mailbox);
        welcome(member);
        for (var line : motd) {
            member.mailbox.post(line);
        }
        announce(member, new Joined(ref.clientId(), member.name(), ref.pid()));
        return member;
    }

    /**
     * A client whose worker lost its supervisor and came back: it keeps its id, and its nickname if still free;
     * nobody is told it joined (its client saw no one leave). Lines of the adoption window are replayed to it.
     * The caller has checked that the id is not in use.
     */
    public Member resume(ClientRef ref, String nick, Mailbox mailbox) {
        var member = admit(ref, mailbox);
        if (nick != null && (Nicknames.problem(nick) != null || directory.taken(nick, member))) {
            send(member, new Notice("your nickname " + nick + " is taken now; you are " + ref.peer()));
            nick = null;
        }
        rename(member, nick);
        welcome(member);
        delivery.replay(member, System.nanoTime());
        return member;
    }

    private Member admit(ClientRef ref, Mailbox mailbox) {
        var member = new Member(ref, mailbox);
        directory.add(member);
        rooms.join(member, EVERYONE);
        return member;
    }

    private void welcome(Member member) {
        var ref = member.ref;
        send(
                member,
                ref.level() >= 2
                        ? new Welcome2(ProtocolLevel.agreed(ref.level()), ref.clientId(), node, limits)
                        : new Welcome(ref.clientId(), limits));
    }

    // ---- Facts from a client ----

    public void said(Member from, long seq, String text) {
        line(from, seq, Style.SAY, text);
    }

    public void acted(Member from, long seq, String action) {
        line(from, seq, Style.ACT, action);
    }

    private void line(Member from, long seq, Style style, String text) {
        if (!delivery.fresh(from, seq)) {
            return;
        }
        from.linesIn++;
        boolean remember = delivery.remembering(System.nanoTime());
        ByteBuffer level1 = remember ? level1(from, seq, style, text) : null;
        ByteBuffer level2 = remember ? level2(from, seq, style, text) : null;
        for (var member : rooms.members(EVERYONE)) {
            if (member == from || !member.receiving) {
                continue;
            }
            // Each level's frame is encoded once, when its first member shows up.
            ByteBuffer frame;
            if (member.ref.level() >= 2) {
                if (level2 == null) {
                    level2 = level2(from, seq, style, text);
                }
                frame = level2;
            } else {
                if (level1 == null) {
                    level1 = level1(from, seq, style, text);
                }
                frame = level1;
            }
            if (frame != null) {
                post(member, frame);
            }
        }
        framesRelayed++;
        if (remember && level1 != null && level2 != null) {
            delivery.remember(from.clientId(), level1, level2);
        }
    }

    private ByteBuffer level1(Member from, long seq, Style style, String text) {
        var ref = from.ref;
        return frames.encode(
                style == Style.SAY
                        ? new Say(ref.clientId(), from.name(), ref.pid(), seq, text)
                        : new Act(ref.clientId(), from.name(), ref.pid(), seq, text));
    }

    private ByteBuffer level2(Member from, long seq, Style style, String text) {
        return frames.encode(new Deliver(TO_EVERYONE, from.sender, seq, style, text));
    }

    /** A nickname request: accepted (and announced, if it changes the name) or refused with the reason. */
    public Outcome nick(Member from, long seq, String nick) {
        if (!delivery.fresh(from, seq)) {
            return Outcome.DUPLICATE;
        }
        String problem = Nicknames.problem(nick);
        if (problem == null && directory.taken(nick, from)) {
            problem = "it is taken";
        }
        if (problem != null) {
            send(from, new NickRefused(seq, nick, problem));
            return Outcome.REFUSED;
        }
        String old = from.name();
        rename(from, nick);
        send(from, new NickAccepted(seq, nick));
        if (old.equals(nick)) {
            return Outcome.UNCHANGED;
        }
        announce(from, new Renamed(from.clientId(), old, nick, from.ref.pid()));
        return Outcome.RENAMED;
    }

    /** What became of a nickname request. */
    public enum Outcome {
        RENAMED,
        UNCHANGED,
        REFUSED,
        DUPLICATE
    }

    private void rename(Member member, String nick) {
        directory.rename(member, nick);
        var ref = member.ref;
        member.sender = new Sender(node, ref.clientId(), member.name(), ref.pid());
    }

    public void who(Member asker) {
        send(asker, directory.who());
    }

    /** The client is gone: out of every room and the directory, and the others of its rooms are told. */
    public void left(Member member) {
        if (!member.present) {
            return;
        }
        member.present = false;
        member.receiving = false;
        directory.remove(member);
        var itsRooms = rooms.leaveAll(member);
        var frame = frames.encode(new Left(member.clientId(), member.name(), member.ref.pid()));
        if (frame != null) {
            deliver(null, itsRooms, frame);
        }
        framesRelayed++;
    }

    /** The client's link is being dropped: it receives nothing more, though it is present until it leaves. */
    public void stopDelivering(Member member) {
        member.receiving = false;
    }

    // ---- Orders from the operator and the configuration ----

    /** Shows {@code text} to one client as {@code *** admin: text}; false if there is no such client. */
    public boolean notice(long clientId, String text) {
        var member = directory.byId(clientId);
        if (member == null || !member.receiving) {
            return false;
        }
        send(member, new Notice("admin: " + text));
        return true;
    }

    /** Shows {@code text} to everyone as {@code *** admin: text}; returns how many received it. */
    public int broadcast(String text) {
        var frame = frames.encode(new Notice("admin: " + text));
        int reached = 0;
        for (var member : directory.all()) {
            if (frame != null && member.receiving && post(member, frame)) {
                reached++;
            }
        }
        framesRelayed++;
        return reached;
    }

    /** New limits (a reload): sent at once to everyone, if they changed. */
    public void limits(Limits next) {
        if (next.equals(limits)) {
            return;
        }
        limits = next;
        var frame = frames.encode(next);
        for (var member : directory.all()) {
            if (frame != null && member.receiving) {
                post(member, frame);
            }
        }
    }

    /** A new motd (a reload), for the clients that join from now on. */
    public void motd(List<String> lines) {
        var encoded = new ArrayList<ByteBuffer>(lines.size());
        for (String line : lines) {
            var frame = frames.encode(new Notice(line));
            if (frame != null) {
                encoded.add(frame);
            }
        }
        motd = List.copyOf(encoded);
    }

    /** At the end of each loop turn: each client whose lines were relayed learns up to where. */
    public void endOfTurn() {
        delivery.acks(member -> send(member, new Ack(member.lastSeq)));
    }

    // ---- Reading ----

    public Directory directory() {
        return directory;
    }

    public Rooms<Member> rooms() {
        return rooms;
    }

    public Delivery delivery() {
        return delivery;
    }

    public String node() {
        return node;
    }

    /** Present clients still receiving. */
    public int receiving() {
        int n = 0;
        for (var member : directory.all()) {
            n += member.receiving ? 1 : 0;
        }
        return n;
    }

    public long framesRelayed() {
        return framesRelayed;
    }

    // ---- Delivering ----

    /** Encodes {@code message} once and gives it to the other receiving members of {@code from}'s rooms. */
    private void announce(Member from, SupervisorMessage message) {
        var frame = frames.encode(message);
        if (frame != null) {
            deliver(from, rooms.roomsOf(from), frame);
        }
        framesRelayed++;
    }

    private void deliver(Member except, java.util.Collection<String> roomNames, ByteBuffer frame) {
        if (roomNames.size() == 1) {
            for (var member : rooms.members(roomNames.iterator().next())) {
                if (member != except && member.receiving) {
                    post(member, frame);
                }
            }
            return;
        }
        Set<Member> seen = new LinkedHashSet<>();
        for (String room : roomNames) {
            seen.addAll(rooms.members(room));
        }
        for (var member : seen) {
            if (member != except && member.receiving) {
                post(member, frame);
            }
        }
    }

    private void send(Member member, SupervisorMessage message) {
        var frame = frames.encode(message);
        if (frame != null) {
            post(member, frame);
        }
    }

    /** A refusal means the link layer is dropping that worker: it receives nothing more. */
    private boolean post(Member member, ByteBuffer frame) {
        if (member.mailbox.post(frame)) {
            return true;
        }
        member.receiving = false;
        return false;
    }
}
