package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.SafeText;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Who receives what a client says: a line goes to the other members of its room (and, as data, to the receivers
 * of the broker channel of that name), a broker sender's message to the people of its channel's room, a private
 * line to its recipient's sessions. Each frame is encoded once per protocol level present among its recipients;
 * the line's {@link Receipt} acks its sender once every recipient's link has written it. Confined to the loop
 * thread.
 */
final class LineDesk {
    private final String node;
    private final Frames frames;
    private final Delivery delivery;
    private final RoomBook rooms;
    private final Directory directory;
    private final Postman postman;
    private final HistoryDesk history;
    private final LoginDesk login;
    private final BrokerDesk broker;
    /** Set once by the Router: MQTT subscribers of a room's topic get its people's lines. */
    MqttDesk mqtt;
    /** Private lines delivered since start. */
    private long privateLines;

    LineDesk(
            String node,
            Frames frames,
            Delivery delivery,
            RoomBook rooms,
            Directory directory,
            Postman postman,
            HistoryDesk history,
            LoginDesk login,
            BrokerDesk broker) {
        this.node = node;
        this.frames = frames;
        this.delivery = delivery;
        this.rooms = rooms;
        this.directory = directory;
        this.postman = postman;
        this.history = history;
        this.login = login;
        this.broker = broker;
    }

    void line(Member from, long seq, Style style, String text) {
        if (!delivery.fresh(from, seq) || beforeLogin(from)) {
            return;
        }
        from.linesIn++;
        var room = from.room;
        toRoom(room, from, seq, style, text);
        rooms.outlet().said(room, from, seq, style, text);
        broker.roomSaid(room.key, from, style == Style.ACT ? "* " + text : text);
        if (mqtt != null) {
            mqtt.roomSaid(room, from, style, text);
        }
    }

    /** A broker sender's message, as a line of the room of its channel when that room exists. */
    void brokerLine(String roomName, Member from, long seq, String text) {
        var room = rooms.find(roomName);
        if (room != null) {
            toRoom(room, from, seq, Style.SAY, SafeText.clean(text));
        }
    }

    /** A line of {@code from} to the other members of {@code room}, kept for history and replay. */
    private void toRoom(Room room, Member from, long seq, Style style, String text) {
        history.said(room, from, style, text);
        boolean remember = delivery.remembering(System.nanoTime());
        var line = new LineFrames(frames, room.address, from.sender, from.name(), seq, style, text);
        var receipt = delivery.receipt(from, seq);
        for (var member : rooms.members(room)) {
            if (member == from || !member.receiving) {
                continue;
            }
            var frame = line.forMember(member); // each kind of frame is encoded once, for its first member
            if (frame != null) {
                postman.post(member, frame, receipt);
            }
        }
        receipt.release();
        postman.counted();
        if (remember) {
            delivery.remember(from.clientId(), room.key, line);
        }
    }

    /**
     * A private line: to the client {@code toClient} if given (a reply), else to whoever holds the nickname
     * {@code to}. The sender is told it went, or that there is no such nick.
     */
    void privately(Member from, long seq, String to, Address.Client toClient, String text) {
        if (!delivery.fresh(from, seq) || beforeLogin(from)) {
            return;
        }
        from.linesIn++;
        Member target = toClient != null
                ? (node.equals(toClient.node()) ? directory.byId(toClient.clientId()) : null)
                : (to == null ? null : directory.byNick(to));
        boolean elsewhere = target == null && (toClient == null || !node.equals(toClient.node()));
        if (elsewhere
                && rooms.outlet()
                        .privately(
                                from, seq, to, toClient, text, name -> answered(from, seq, to, toClient, text, name))) {
            return; // on another node of the federation, or nowhere: the answer comes later
        }
        if (target == null || !target.receiving || target.awaitingLogin || target.awaitingOpen) {
            if (toClient != null || !login.keepForAbsent(from, seq, to, text)) {
                postman.send(from, new Notice("no such nick: " + to));
            }
            return;
        }
        // A user's line reaches each of its sessions; a reply (toClient) only the session it answers.
        var targets = toClient == null && target.user != null ? directory.sessions(target.user) : List.of(target);
        ByteBuffer level1 = frames.encode(new Notice(from.name() + " (" + from.ref.pid() + ") privately: " + text));
        var receipt = delivery.receipt(from, seq);
        for (var each : targets) {
            ByteBuffer level2 = frames.encode(
                    new Deliver(new Address.Client(node, each.clientId()), from.sender, seq, Style.SAY, text));
            ByteBuffer frame = each.ref.level() >= 3 ? level2 : level1;
            if (frame != null && each.receiving) {
                postman.post(each, frame, receipt);
            }
        }
        receipt.release();
        privateLines++;
        postman.counted();
        postman.send(from, new PrivateSent(seq, target.name(), text));
    }

    /** The other nodes' answer to a private line: {@code name} took it, or (null) nobody did. */
    private void answered(Member from, long seq, String to, Address.Client toClient, String text, String name) {
        if (!from.present) {
            return;
        }
        if (name != null) {
            privateLines++;
            postman.send(from, new PrivateSent(seq, name, text));
        } else if (toClient != null || !login.keepForAbsent(from, seq, to, text)) {
            postman.send(from, new Notice("no such nick: " + to));
        }
    }

    /**
     * A fact from a client that is still to log in (our workers do not send one): it goes nowhere, the client is
     * told why. True when it was.
     */
    boolean beforeLogin(Member from) {
        if (from.awaitingOpen) {
            return true; // its worker has not opened it yet: ours send nothing before, so nothing is said
        }
        if (!from.awaitingLogin) {
            return false;
        }
        postman.send(from, new Notice("please log in first"));
        return true;
    }

    long privateLines() {
        return privateLines;
    }
}
