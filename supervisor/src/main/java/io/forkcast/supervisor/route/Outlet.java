package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What this node tells the other nodes of a federation, and which rooms it listens to: a room is subscribed when
 * its first local member comes in and unsubscribed when its last one goes. Events are published at the end of the
 * turn, in the order they happened, so that an arrival carries the nickname its client has by then (a resuming
 * client is placed before it is renamed). With {@link Federation#NONE} it does nothing. Confined to the loop
 * thread.
 */
final class Outlet {
    /** Where events go; fixed. */
    private final Federation federation;

    private final RoomBook rooms;
    /** No federation: every method returns at once, so a supervisor alone pays nothing. */
    private final boolean off;
    /** The rooms (by key) subscribed to: those with at least one local member. */
    private final Set<String> subscribed = new HashSet<>();
    /** Events of this turn, in order; an arrival is resolved (its sender read) when the turn ends. */
    private final List<Pending> pending = new ArrayList<>();

    /** An event to publish, or (event null) the arrival of {@code member} in {@code room} from {@code from}. */
    private record Pending(RoomEvent event, Member member, String room, String from) {}

    /** The history tails, made stale when a room starts being listened to; null: none. */
    private final HistoryDesk history;

    Outlet(Federation federation, RoomBook rooms) {
        this(federation, rooms, null);
    }

    Outlet(Federation federation, RoomBook rooms, HistoryDesk history) {
        this.federation = federation;
        this.rooms = rooms;
        this.history = history;
        this.off = federation.equals(Federation.NONE);
    }

    private boolean off() {
        return off;
    }

    /** {@code member} is in {@code room} now, coming from {@code from} (null: it arrived). */
    void joined(Member member, Room room, Room from) {
        if (off()) {
            return;
        }
        if (subscribed.add(room.key)) {
            federation.subscribe(room.key);
            if (history != null) {
                history.stale(room); // the others' lines while this node did not listen are in the shared store
            }
        }
        pending.add(new Pending(null, member, room.name, from == null ? null : from.name));
    }

    /** {@code member} is out of {@code room} now, for {@code to} (null: it left this node). */
    void left(Member member, Room room, Room to) {
        if (off()) {
            return;
        }
        pending.add(new Pending(
                new RoomEvent.Left(room.name, member.sender, to == null ? null : to.name), null, null, null));
        if (rooms.members(room).isEmpty() && subscribed.remove(room.key)) {
            federation.unsubscribe(room.key);
        }
    }

    /** {@code member}, in a room, was known as {@code oldName}. */
    void renamed(Member member, String oldName) {
        if (off() || member.room == null) {
            return;
        }
        pending.add(new Pending(new RoomEvent.Renamed(member.room.name, member.sender, oldName), null, null, null));
    }

    /** {@code from} set the topic of {@code room} to {@code text}. */
    void topic(Room room, Member from, String text) {
        if (off()) {
            return;
        }
        pending.add(new Pending(new RoomEvent.Topic(room.name, from.sender, text, true), null, null, null));
    }

    /** A line of {@code from} in {@code room}. */
    void said(Room room, Member from, long seq, Style style, String text) {
        if (off()) {
            return;
        }
        pending.add(new Pending(new RoomEvent.Said(room.name, from.sender, seq, style, text), null, null, null));
    }

    /**
     * A private line of {@code from} for someone not on this node, offered to the others: false (nothing done)
     * without a federation; else {@code answer} runs later with the recipient's name, or null.
     */
    boolean privately(Member from, long seq, String to, Address.Client toClient, String text, Consumer<String> answer) {
        if (off()) {
            return false;
        }
        federation.privately(new PrivateLine(from.sender, seq, to, toClient, text), answer);
        return true;
    }

    /**
     * Asks the other nodes {@code question}: false (nothing done) without a federation; else {@code then} runs
     * later on the loop thread with what they answered.
     */
    boolean ask(Ask.Question question, Consumer<Ask.Gathered> then) {
        if (off()) {
            return false;
        }
        federation.ask(question, then);
        return true;
    }

    /** True when there are other nodes to ask. */
    boolean federated() {
        return !off;
    }

    /** At the end of the turn: every event of the turn goes out, in order. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        for (var p : pending) {
            Sender who = p.member() == null ? null : p.member().sender;
            federation.publish(p.event() != null ? p.event() : new RoomEvent.Joined(p.room(), who, p.from()));
        }
        pending.clear();
    }

    /** The rooms subscribed to, by key; a read-only view. */
    Set<String> subscribed() {
        return java.util.Collections.unmodifiableSet(subscribed);
    }
}
