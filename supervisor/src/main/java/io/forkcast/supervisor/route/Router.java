package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.text.Nicknames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Takes facts from clients and decides who receives what: a line goes to the other members of its sender's room, a
 * private line to its one recipient, a join, move, rename or leave to the members of the rooms concerned, an
 * answer to the asker. Each message is encoded once per protocol level present among its recipients and the same
 * bytes go to every mailbox: a level-1 worker gets Say/Act, Joined/Left and Welcome, a level-2 one Deliver and
 * Welcome2, a level-3 one the room messages too. A line costs O(members of its room), never O(clients). Confined
 * to the loop thread.
 */
public final class Router {
    /** Room for the frame header and the WhoList's own fields beside the entries of a part. */
    private static final int WHO_OVERHEAD_BYTES = 64;

    /** This supervisor's node name, in Welcome2 and every level-2 Sender; fixed. */
    private final String node;

    private final Frames frames;
    private final Delivery delivery;
    private final RoomBook rooms;
    private final Directory directory = new Directory();
    private final Postman postman;
    private final RoomDesk desk;
    private final HistoryDesk history;
    private final LoginDesk login;
    private final BrokerDesk broker;
    /** Room lines and private lines: who receives what a client says. */
    private final LineDesk lines;

    private final TagDesk tags;
    /** MQTT clients: sessions, subscriptions, the rooms bridge. */
    private final MqttDesk mqtt;
    /** The other nodes' questions are answered from here; nicknames being asked about. */
    private final Census census;

    private final NickDesk nicks;
    /** The limits workers enforce; replaced on reload. */
    private Limits limits;
    /** The motd, one Notice frame per line, encoded once; replaced on reload. */
    private List<ByteBuffer> motd = List.of();

    /** A router with no accounts and no store. */
    public Router(
            String node, Frames frames, Delivery delivery, RoomBook rooms, Limits limits, List<String> motdLines) {
        this(
                node,
                frames,
                delivery,
                rooms,
                limits,
                motdLines,
                Accounts.NONE,
                Archive.NONE,
                History.OFF,
                BrokerQueue.NONE,
                BrokerDesk.Settings.DEFAULT,
                line -> {});
    }

    /** How much history is kept and shown, and how long a client may take to log in; replaced on reload. */
    public record History(int lines, int max, int offlineMax, long loginTimeoutNanos) {
        /** No history, no offline messages. */
        public static final History OFF = new History(0, 1, 0, 0);
    }

    /**
     * @param accounts who may log in, and the password check
     * @param archive where room lines and private lines for absent users are kept
     * @param brokerQueue where broker messages wait for receivers
     * @param brokerSettings the receiver limits, keep_data and the batch size
     * @param log where logins and their failures are logged (a line of key=value pairs)
     */
    public Router(
            String node,
            Frames frames,
            Delivery delivery,
            RoomBook rooms,
            Limits limits,
            List<String> motdLines,
            Accounts accounts,
            Archive archive,
            History settings,
            BrokerQueue brokerQueue,
            BrokerDesk.Settings brokerSettings,
            Consumer<String> log) {
        this.node = node;
        this.frames = frames;
        this.delivery = delivery;
        this.rooms = rooms;
        this.postman = new Postman(frames, rooms);
        this.history = rooms.historyOf(new HistoryDesk(archive, postman, settings.lines(), settings.max()));
        this.desk = new RoomDesk(rooms, directory, delivery, postman, history);
        this.login = new LoginDesk(directory, postman, archive, accounts, this::placeLoggedIn, log);
        this.broker = new BrokerDesk(postman, delivery, brokerQueue, brokerSettings, this::brokerLine, log);
        this.lines = new LineDesk(node, frames, delivery, rooms, directory, postman, history, login, broker);
        this.tags = new TagDesk(postman, delivery, this::opened, log);
        this.mqtt = new MqttDesk(
                node, postman, delivery, rooms, accounts, MqttDesk.Settings.DEFAULT, this::brokerLine, log);
        lines.mqtt = mqtt;
        this.census = new Census(node, rooms, directory, desk);
        this.nicks = new NickDesk(delivery, postman, directory, login, rooms, census, this::rename, log);
        this.limits = limits;
        history(settings);
        motd(motdLines);
        for (var room : rooms.all()) {
            history.preload(room);
        }
    }

    // ---- Clients arriving ----

    /**
     * A new client: welcomed at its level, greeted with the motd, placed in the default room, announced there and
     * shown its history; or, when the server requires a login, asked to log in and placed once it has.
     */
    public Member join(ClientRef ref, Mailbox mailbox) {
        if (ref.mqtt()) {
            var member = admit(ref, mailbox, null); // in no room; its CONNECT comes next (MqttDesk.connect)
            welcome(member);
            return member;
        }
        boolean mustLogIn = login.mustLogIn(ref);
        // A WebSocket client waits for its handshake (TagDesk.open): a page load or a refused one is never seen.
        boolean awaitOpen = TagDesk.isWebSocket(ref);
        var member = admit(ref, mailbox, mustLogIn || awaitOpen ? null : rooms.lobby());
        welcome(member);
        for (var line : motd) {
            member.mailbox.post(line);
        }
        if (awaitOpen) {
            member.awaitingOpen = true;
            return member;
        }
        if (mustLogIn) {
            login.askToLogIn(member);
            return member;
        }
        arrived(member);
        return member;
    }

    /** A WebSocket client's handshake was accepted: it logs in first where the server requires it, or is placed. */
    private void opened(Member member) {
        if (login.mustLogIn(member.ref)) {
            login.askToLogIn(member);
        } else {
            rooms.place(member, rooms.lobby());
            arrived(member);
        }
    }

    /** A client that waited to log in has: it is placed in the default room like any newcomer. */
    private void placeLoggedIn(Member member) {
        if (member.ref.broker()) {
            return; // a broker client is in no room: it takes a role on a channel next (BrokerDesk.attach)
        }
        rooms.place(member, rooms.lobby());
        arrived(member);
    }

    private void arrived(Member member) {
        var ref = member.ref;
        placed(member);
        postman.announce(member, new Joined(ref.clientId(), member.name(), ref.pid()));
        history.entered(member, member.room);
    }

    /**
     * A client whose worker lost its supervisor and came back: it keeps its id, its nickname if still free, and
     * its room (made again, with the topic its worker saw, if this supervisor does not know it); nobody is told it
     * joined (its client saw no one leave). Lines of the adoption window for its room or for it are replayed to
     * it. The caller has checked that the id is not in use.
     *
     * @param wanted the rooms its worker says it was in; empty (a worker below level 3): the default room
     */
    public Member resume(ClientRef ref, String nick, List<RoomEntry> wanted, Mailbox mailbox) {
        return resume(ref, nick, wanted, null, mailbox);
    }

    /**
     * {@link #resume(ClientRef, String, List, Mailbox)} for a client that was logged in as {@code user} (null: a
     * guest): it stays logged in, under that name, while the users file has the user.
     */
    public Member resume(ClientRef ref, String nick, List<RoomEntry> wanted, String user, Mailbox mailbox) {
        if (ref.mqtt()) {
            var member = admit(ref, mailbox, null); // its worker says what it holds next (MqttResume)
            welcome(member);
            return member;
        }
        var notices = new ArrayList<String>(2);
        boolean broker = ref.broker();
        // A broker client whose account is gone is asked again (and timed out): it cannot be a guest.
        boolean mustLogIn = login.mustLogIn(ref) && (user == null || (broker && login.canonical(user) == null));
        var member = admit(ref, mailbox, mustLogIn || broker ? null : desk.roomToResume(wanted, notices));
        if (login.resumeAs(member, user, notices)) {
            var r = member.ref;
            member.sender = new Sender(node, r.clientId(), member.name(), r.pid());
        } else {
            if (nick != null
                    && (Nicknames.problem(nick) != null
                            || directory.taken(nick, member)
                            || login.nickProblem(member, nick) != null)) {
                notices.add("your nickname " + nick + " is taken now; you are " + ref.peer());
                nick = null;
            }
            rename(member, nick);
        }
        welcome(member);
        for (String notice : notices) {
            postman.send(member, new Notice(notice));
        }
        if (mustLogIn) {
            login.askToLogIn(member);
            return member;
        }
        if (broker) {
            return member; // its worker says its role again next (BrokerAttach)
        }
        placed(member);
        delivery.replay(member, System.nanoTime());
        return member;
    }

    /** A new member in the directory, and in {@code room} (null: in none yet, until it logs in). */
    private Member admit(ClientRef ref, Mailbox mailbox, Room room) {
        var member = new Member(ref, mailbox);
        directory.add(member);
        if (room != null) {
            rooms.place(member, room);
        }
        return member;
    }

    private void welcome(Member member) {
        var ref = member.ref;
        postman.send(
                member,
                ref.level() >= 2
                        ? new Welcome2(ProtocolLevel.agreed(ref.level()), ref.clientId(), node, limits)
                        : new Welcome(ref.clientId(), limits));
    }

    /** Tells a level 3 worker which room its client is in (an older one is in the default room and not told). */
    private void placed(Member member) {
        if (member.ref.level() >= 3) {
            var room = member.room;
            postman.send(member, new Entered(0, room.name, room.topic));
        }
    }

    // ---- Facts from a client ----

    public void said(Member from, long seq, String text) {
        lines.line(from, seq, Style.SAY, text);
    }

    public void acted(Member from, long seq, String action) {
        lines.line(from, seq, Style.ACT, action);
    }

    /** A broker sender's message, for the room of its channel. */
    private void brokerLine(String roomName, Member from, long seq, String text) {
        lines.brokerLine(roomName, from, seq, text);
    }

    /**
     * A private line: to the client {@code toClient} if given (a reply), else to whoever holds the nickname
     * {@code to}. The sender is told it went, or that there is no such nick.
     */
    public void privately(Member from, long seq, String to, Address.Client toClient, String text) {
        lines.privately(from, seq, to, toClient, text);
    }

    /**
     * A nickname request: accepted (and announced, if it changes the name) or refused with the reason; in a
     * federation a new one is first checked against the other nodes ({@link Outcome#ASKED}).
     */
    public Outcome nick(Member from, long seq, String nick) {
        return nicks.nick(from, seq, nick);
    }

    /** What became of a nickname request. */
    public enum Outcome {
        RENAMED,
        UNCHANGED,
        REFUSED,
        DUPLICATE,
        /** The other nodes of the federation are asked first; the answer comes later (and is logged then). */
        ASKED
    }

    private void rename(Member member, String nick) {
        directory.rename(member, nick);
        var ref = member.ref;
        member.sender = new Sender(node, ref.clientId(), member.name(), ref.pid());
    }

    /** A level 1 or 2 {@code /who}: everyone connected, in order of arrival. */
    public void who(Member asker) {
        // A level 1 or 2 worker shows each part under its own heading: split rather than dropped past the limit.
        for (var part : directory.who(postman.maxFrameBytes() - WHO_OVERHEAD_BYTES)) {
            postman.send(asker, part);
        }
    }

    /** The client is gone: out of its room and the directory, and the others of its room are told. */
    public void left(Member member) {
        if (!member.present) {
            return;
        }
        member.present = false;
        member.receiving = false;
        directory.remove(member);
        login.left(member);
        broker.left(member);
        tags.left(member);
        mqtt.left(member);
        var room = rooms.remove(member);
        if (room != null && rooms.find(room.name) != room) {
            history.dropped(room);
        }
        var frame = frames.encode(new Left(member.clientId(), member.name(), member.ref.pid()));
        if (frame != null && room != null) {
            postman.toRoom(room, null, frame);
        }
        postman.counted();
    }

    /** The client's link is being dropped: it receives nothing more, though it is present until it leaves. */
    public void stopDelivering(Member member) {
        member.receiving = false;
    }

    // ---- Orders from the operator and the configuration ----

    /**
     * An operator's message to one client: an AdminMessage to a level 6 worker (a WebSocket client gets seed 003's
     * {@code {"message": text}}, a telnet one {@code *** admin: text}), a Notice {@code admin: text} to an older
     * one. False if there is no such client.
     */
    public boolean notice(long clientId, String text) {
        return OperatorMessage.toOne(postman, directory.byId(clientId), text);
    }

    /** {@link #notice} to everyone, each frame encoded once; returns how many received it. */
    public int broadcast(String text) {
        return OperatorMessage.toAll(postman, directory.all(), text);
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
                postman.post(member, frame);
            }
        }
    }

    /**
     * A fact from a client that is still to log in (our workers do not send one): it goes nowhere, the client is
     * told why. True when it was.
     */
    public boolean beforeLogin(Member from) {
        return lines.beforeLogin(from);
    }

    /** New history and login settings (a reload). */
    public void history(History settings) {
        history.limits(settings.lines(), settings.max());
        login.limits(settings.offlineMax(), settings.loginTimeoutNanos());
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

    /**
     * At the end of each loop turn, once the links were written: each client whose lines were written to all their
     * recipients' links learns up to where.
     */
    public void endOfTurn() {
        rooms.outlet().flush(); // this turn's room events, to the other nodes of a federation
        delivery.acks(member -> postman.send(member, new Ack(member.ackedSeq)));
    }

    // ---- Reading ----

    public Directory directory() {
        return directory;
    }

    /** What the other nodes of a federation are told when they ask. */
    public Census census() {
        return census;
    }

    /**
     * Asks the other nodes of a federation {@code question} ({@code then} runs later on the loop thread); false
     * (nothing done) for a supervisor alone.
     */
    public boolean askOthers(Ask.Question question, Consumer<Ask.Gathered> then) {
        return rooms.outlet().ask(question, then);
    }

    public RoomBook rooms() {
        return rooms;
    }

    /** Logins, registered names, the clients waiting to log in, and private lines kept for absent users. */
    public LoginDesk login() {
        return login;
    }

    /** WebSocket clients' opening and seed 001's tag routing. */
    public TagDesk tags() {
        return tags;
    }

    /** Seed 000's broker: senders, receivers, channels. */
    public BrokerDesk broker() {
        return broker;
    }

    /** MQTT clients: sessions, subscriptions, retained messages, the rooms bridge. */
    public MqttDesk mqtt() {
        return mqtt;
    }

    /** Room history: what is kept, and {@code /history}. */
    public HistoryDesk historyDesk() {
        return history;
    }

    /** Where room requests and room orders go. */
    public RoomDesk desk() {
        return desk;
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
        return postman.framesRelayed();
    }

    public long privateLines() {
        return lines.privateLines();
    }
}
