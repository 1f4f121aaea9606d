package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage.AdminMessage;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import java.nio.ByteBuffer;

/**
 * An operator's message ({@code SEND MESSAGE}, {@code SEND ROOM}, {@code BROADCAST}) in the frame each worker
 * takes: seed 003's AdminMessage for level 6 and later (a WebSocket client gets {@code {"message": text}}, a telnet
 * one {@code *** admin: text}), the Notice {@code admin: text} it replaces for older ones. Each is encoded once, when
 * its first receiver asks. Used for one message on the loop thread.
 */
final class OperatorMessage {
    private final Postman postman;
    private final String text;
    private ByteBuffer level6;
    private ByteBuffer older;

    OperatorMessage(Postman postman, String text) {
        this.postman = postman;
        this.text = text;
    }

    /** The frame for {@code member}'s worker, or null when it cannot be encoded (logged). */
    ByteBuffer frameFor(Member member) {
        if (member.ref.level() >= 6) {
            if (level6 == null) {
                level6 = postman.encode(new AdminMessage(text));
            }
            return level6;
        }
        if (older == null) {
            older = postman.encode(new Notice("admin: " + text));
        }
        return older;
    }

    /** {@code text} to {@code member} (null: none); false when there is no such client receiving. */
    static boolean toOne(Postman postman, Member member, String text) {
        if (member == null || !member.receiving) {
            return false;
        }
        var frame = new OperatorMessage(postman, text).frameFor(member);
        if (frame != null) {
            postman.post(member, frame);
        }
        return true;
    }

    /** {@code text} to every receiving member of {@code members}, each frame encoded once; how many took it. */
    static int toAll(Postman postman, Iterable<Member> members, String text) {
        var message = new OperatorMessage(postman, text);
        int reached = 0;
        for (var member : members) {
            var frame = member.receiving ? message.frameFor(member) : null;
            if (frame != null && member.receiving && postman.post(member, frame)) {
                reached++;
            }
        }
        postman.counted();
        return reached;
    }
}
