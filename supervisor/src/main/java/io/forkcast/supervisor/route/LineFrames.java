package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.DeliverRendered;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.TelnetLine;
import java.nio.ByteBuffer;

/**
 * The frames of one room line, each encoded once, when its first recipient needs it: {@code Say} or {@code Act} for
 * a level 1 worker, {@code Deliver} for level 2 and later, and from level 8 {@code DeliverRendered} for a telnet
 * worker, whose bytes are the client's line as {@link TelnetLine} renders it, so that a receiving telnet worker
 * only checks and copies. Confined to the loop thread.
 */
final class LineFrames {
    /** The first level whose telnet workers get the rendered line. */
    static final int RENDERED_LEVEL = 8;

    private final Frames frames;
    private final Address.Room address;
    private final Sender from;
    /** The sender's name for a level 1 frame (its member's current name; the sender's for a remote line). */
    private final String level1Name;

    private final long seq;
    private final Style style;
    private final String text;
    private ByteBuffer level1;
    private ByteBuffer level2;
    private ByteBuffer rendered;
    /** Set once an encoding failed (logged by Frames): that frame is not tried again. */
    private boolean level1Failed;

    private boolean level2Failed;
    private boolean renderedFailed;

    LineFrames(
            Frames frames, Address.Room address, Sender from, String level1Name, long seq, Style style, String text) {
        this.frames = frames;
        this.address = address;
        this.from = from;
        this.level1Name = level1Name;
        this.seq = seq;
        this.style = style;
        this.text = text;
    }

    /** The frame for {@code member}'s worker, by its level and kind; null when it cannot be encoded. */
    ByteBuffer forMember(Member member) {
        int level = member.ref.level();
        if (level >= RENDERED_LEVEL && ClientRef.TELNET.equals(member.ref.kind())) {
            return rendered();
        }
        return level >= 2 ? level2() : level1();
    }

    ByteBuffer level1() {
        if (level1 == null && !level1Failed) {
            level1 = frames.encode(
                    style == Style.SAY
                            ? new Say(from.clientId(), level1Name, from.pid(), seq, text)
                            : new Act(from.clientId(), level1Name, from.pid(), seq, text));
            level1Failed = level1 == null;
        }
        return level1;
    }

    ByteBuffer level2() {
        if (level2 == null && !level2Failed) {
            level2 = frames.encode(new Deliver(address, from, seq, style, text));
            level2Failed = level2 == null;
        }
        return level2;
    }

    ByteBuffer rendered() {
        if (rendered == null && !renderedFailed) {
            byte[] bytes = TelnetLine.render(from.name(), from.pid(), style == Style.ACT, text);
            rendered = frames.encode(new DeliverRendered(from.node(), from.clientId(), seq, bytes));
            renderedFailed = rendered == null;
        }
        return rendered;
    }
}
