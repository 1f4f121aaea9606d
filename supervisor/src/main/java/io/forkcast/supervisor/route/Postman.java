package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage;
import java.nio.ByteBuffer;

/**
 * Puts frames in mailboxes for the routing domain: one member, or every receiving member of a room, each message
 * encoded once (once per level group when levels differ). A mailbox that refuses a frame belongs to a worker the
 * link layer is dropping: that member receives nothing more. Counts what it relays. Confined to the loop thread.
 */
final class Postman {
    private final Frames frames;
    private final RoomBook rooms;
    /** Messages relayed since start (one per message, whatever its number of recipients). */
    private long framesRelayed;

    Postman(Frames frames, RoomBook rooms) {
        this.frames = frames;
        this.rooms = rooms;
    }

    /** The largest frame, header included. */
    int maxFrameBytes() {
        return frames.maxFrameBytes();
    }

    /** The encoder behind it, for a line's frames ({@link LineFrames}). */
    Frames frames() {
        return frames;
    }

    /** The frame of {@code message}, or null (logged) when it cannot be encoded. */
    ByteBuffer encode(SupervisorMessage message) {
        return frames.encode(message);
    }

    /** Encodes {@code message} and gives it to {@code member}. */
    void send(Member member, SupervisorMessage message) {
        var frame = frames.encode(message);
        if (frame != null) {
            post(member, frame);
        }
    }

    /** Gives {@code frame} to {@code member}; false, and the member receives nothing more, if refused. */
    boolean post(Member member, ByteBuffer frame) {
        return post(member, frame, Receipt.NONE);
    }

    /** {@link #post(Member, ByteBuffer)} for a sender's line: {@code receipt} is held until it is written. */
    boolean post(Member member, ByteBuffer frame, Receipt receipt) {
        if (member.mailbox.post(frame, receipt)) {
            return true;
        }
        member.receiving = false;
        return false;
    }

    /** Encodes {@code message} once and gives it to the other receiving members of {@code from}'s room. */
    void announce(Member from, SupervisorMessage message) {
        var frame = frames.encode(message);
        if (frame != null && from.room != null) {
            toRoom(from.room, from, frame);
        }
        framesRelayed++;
    }

    /** Gives {@code frame} to every receiving member of {@code room} but {@code except} (null: none). */
    void toRoom(Room room, Member except, ByteBuffer frame) {
        for (var member : rooms.members(room)) {
            if (member != except && member.receiving) {
                post(member, frame);
            }
        }
    }

    /**
     * Gives the receiving members of {@code room} but {@code except} (null: none) {@code level3}, or {@code older}
     * to a worker below level 3; each is encoded once, when its first recipient shows up.
     */
    void toRoom(Room room, Member except, SupervisorMessage level3, SupervisorMessage older) {
        ByteBuffer frame3 = null;
        ByteBuffer frameOlder = null;
        for (var member : rooms.members(room)) {
            if (member == except || !member.receiving) {
                continue;
            }
            ByteBuffer frame;
            if (member.ref.level() >= 3) {
                if (frame3 == null) {
                    frame3 = frames.encode(level3);
                }
                frame = frame3;
            } else {
                if (frameOlder == null) {
                    frameOlder = frames.encode(older);
                }
                frame = frameOlder;
            }
            if (frame != null) {
                post(member, frame);
            }
        }
        framesRelayed++;
    }

    /** One more message relayed, for a sender that posts by itself. */
    void counted() {
        framesRelayed++;
    }

    long framesRelayed() {
        return framesRelayed;
    }
}
