package io.forkcast.worker.hub;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerRefused;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.PrivateStored;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.message.WorkerMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What the supervisor has told this worker of its own client: its nickname, its room and that room's topic, who
 * last wrote to it privately, how far its private lines were confirmed, and a broker client's role. A new
 * supervisor learns it back from Resume4. Confined to the worker's loop thread.
 */
final class Standing {
    /** The nickname from the last NickAccepted, or null. */
    private String nick;
    /** The room from the last Entered, or null before one (or from a supervisor below level 3). */
    private String room;
    /** The topic of {@link #room} as last heard, or null. */
    private String topic;
    /** Who sent the client the last private line, for {@code /reply}; null before one. */
    private Sender lastPrivateFrom;
    /** The highest private line number confirmed: a confirmation repeated after a restart is not shown again. */
    private long privateConfirmed;
    /** The user the client logged in as (from the last LoggedIn), or null for a guest. */
    private String user;
    /**
     * A broker client's role, as the BrokerAttach (seq 0) that follows each Resume4: set when the role is asked
     * for, made the supervisor's answer by BrokerAttached, dropped by a refused login; null for other clients.
     */
    private WorkerMessage.BrokerAttach attachment;
    /** A WebSocket client's opening, told again after each Resume4 (its tags route lines to it); null for others. */
    private WorkerMessage.OpenRequested opening;

    /**
     * Takes in what {@code order} says of the client (an order shown once, duplicates already dropped); false when
     * it repeats what the client was already shown: a confirmation seen before, or a resumed client put back in
     * the room it was in.
     */
    boolean take(SupervisorMessage order) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (order instanceof Entered e) {
            boolean unchanged = e.seq() == 0 && e.room() != null && e.room().equalsIgnoreCase(room);
            room = e.room();
            topic = e.topic();
            return !unchanged;
        }
        if (order instanceof TopicChanged t) {
            if (t.room() != null && t.room().equalsIgnoreCase(room)) {
                topic = t.topic();
            }
        } else if (order instanceof PrivateSent p) {
            if (p.seq() <= privateConfirmed) {
                return false;
            }
            privateConfirmed = p.seq();
        } else if (order instanceof PrivateStored p) {
            if (p.seq() <= privateConfirmed) {
                return false;
            }
            privateConfirmed = p.seq();
        } else if (order instanceof LoggedIn l) {
            user = l.user();
            nick = l.user();
        } else if (order instanceof NickAccepted n) {
            nick = n.nick();
        } else if (order instanceof Deliver d && d.to() instanceof Address.Client) {
            lastPrivateFrom = d.from();
        } else if (order instanceof BrokerAttached a) {
            attachment = new WorkerMessage.BrokerAttach(0, a.role(), a.channel());
        } else if (order instanceof BrokerRefused r && "login".equals(r.command())) {
            attachment = null;
        }
        return true;
    }

    String nick() {
        return nick;
    }

    /** A broker role was asked for: a new supervisor is told it after a resume, even before an answer came. */
    void attaching(String role, String channel) {
        attachment = new WorkerMessage.BrokerAttach(0, role, channel);
    }

    /** A WebSocket client asked to open: a new supervisor is told it again after a resume, with the same seq. */
    void opening(WorkerMessage.OpenRequested open) {
        opening = open;
    }

    /** What a new supervisor is sent first after a reconnect: Resume4, a broker's role, a WebSocket's opening. */
    List<WorkerMessage> resume(HubSession.Identity me, long clientId) {
        var resume = new ArrayList<WorkerMessage>(3);
        resume.add(new WorkerMessage.Resume4(
                ProtocolLevel.CURRENT, me.pid(), me.peer(), clientId, nick, me.kind(), rooms(), user));
        if (attachment != null) {
            resume.add(attachment);
        }
        if (opening != null) {
            resume.add(opening);
        }
        return resume;
    }

    /** The user the client logged in as, or null. */
    String user() {
        return user;
    }

    Sender lastPrivateFrom() {
        return lastPrivateFrom;
    }

    /** The client's rooms as Resume3 brings them back: its room with the topic last heard, or none. */
    List<RoomEntry> rooms() {
        return room == null ? List.of() : List.of(new RoomEntry(room, 0, topic));
    }
}
