package io.forkcast.supervisor.route;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Exactly-once delivery across a supervisor restart: the sequence numbers seen per client (a repeat is dropped,
 * never relayed twice), the acks (at most one per client per loop turn, and only up to the lines written to every
 * recipient's link, see {@link Receipt}: a line still in an outbox would die with this process), and the replay buffer of the adoption
 * window. Lines relayed while workers of an earlier supervisor may still come back (the first
 * hub_reconnect_timeout after start) are replayed to each worker that resumes, so that a line resent by a worker
 * that came back early reaches one that comes back late; receivers drop lines they have already shown. Confined to
 * the loop thread.
 */
public final class Delivery {
    /**
     * A room's line kept for replay, with its frames for every level ({@link LineFrames}); a receiver gets the one
     * of its level and kind. Private lines are not kept: one that finds its recipient has reached it.
     */
    private record Recent(long fromId, String roomKey, LineFrames line, int bytes) {}

    /** The end of the adoption window, in {@link System#nanoTime} terms; fixed. */
    private final long windowEndsNanos;
    /** The most bytes the replay buffer holds; fixed (half an outbox, so a replay fits in one). */
    private final long maxRecentBytes;
    /** Lines of the adoption window, oldest first; emptied once the window is over. */
    private final ArrayDeque<Recent> recent = new ArrayDeque<>();
    /** Bytes in {@link #recent}, counting the largest frame of each line. */
    private long recentBytes;
    /** Members with a line relayed this turn, to be acked at its end; each once ({@link Member#ackPending}). */
    private final List<Member> toAck = new ArrayList<>();
    /** Lines dropped as repeats since start. */
    private long duplicatesDropped;

    public Delivery(long windowEndsNanos, long maxRecentBytes) {
        this.windowEndsNanos = windowEndsNanos;
        this.maxRecentBytes = maxRecentBytes;
    }

    /** True the first time {@code seq} is seen from {@code member}; a repeat is counted and dropped. */
    boolean fresh(Member member, long seq) {
        if (seq <= member.lastSeq) {
            duplicatesDropped++;
            return false;
        }
        member.lastSeq = seq;
        schedule(member);
        return true;
    }

    /**
     * A receipt for {@code sender}'s line {@code seq}, which the caller posts with and then releases: the sender is
     * acknowledged past the line only once every outbox that queued it has written it (or dropped its worker).
     */
    Receipt receipt(Member sender, long seq) {
        var receipt = new Receipt(this, sender, seq);
        sender.unwritten.add(receipt);
        return receipt;
    }

    /** A line of {@code sender} is written everywhere: the lines written from the oldest on no longer hold its ack. */
    void written(Member sender) {
        var unwritten = sender.unwritten;
        while (!unwritten.isEmpty() && unwritten.peek().outstanding == 0) {
            unwritten.poll();
        }
        schedule(sender);
    }

    /** The highest sequence number of {@code member} whose lines are all written to their recipients' links. */
    static long writtenUpTo(Member member) {
        var oldest = member.unwritten.peek();
        return oldest == null ? member.lastSeq : oldest.seq - 1;
    }

    private void schedule(Member member) {
        if (!member.ackPending) {
            member.ackPending = true;
            toAck.add(member);
        }
    }

    /**
     * Once per turn, after the links were written: hands each member that has lines written past its last ack to
     * {@code ack} (with {@link Member#ackedSeq} raised to where), then forgets them.
     */
    void acks(Consumer<Member> ack) {
        for (int i = 0; i < toAck.size(); i++) {
            var member = toAck.get(i);
            member.ackPending = false;
            if (member.brokerUnsettled > 0) {
                continue; // acked once its sends are stored: see settled()
            }
            long upTo = writtenUpTo(member);
            if (member.present && upTo > member.ackedSeq) {
                member.ackedSeq = upTo;
                ack.accept(member);
            }
        }
        toAck.clear();
    }

    /**
     * A broker send of {@code member} that was held back ({@link Member#brokerUnsettled}) is stored or given up:
     * once none is left its worker is acked at the end of the turn, up to its last sequence number.
     */
    void settled(Member member) {
        member.brokerUnsettled--;
        if (member.brokerUnsettled == 0) {
            schedule(member);
        }
    }

    /** True while lines must be kept for workers that may still resume. */
    boolean remembering(long nowNanos) {
        return nowNanos < windowEndsNanos;
    }

    /**
     * Keeps a line of {@code fromId} in the room {@code roomKey} for replay to members that resume in that room,
     * dropping the oldest past the byte limit. Its frames are encoded now (a line that cannot be is not kept), so
     * that a replay encodes nothing.
     */
    void remember(long fromId, String roomKey, LineFrames line) {
        var level1 = line.level1();
        var level2 = line.level2();
        var rendered = line.rendered();
        if (level1 == null || level2 == null || rendered == null) {
            return;
        }
        int bytes = Math.max(Math.max(level1.remaining(), level2.remaining()), rendered.remaining());
        recent.add(new Recent(fromId, roomKey, line, bytes));
        recentBytes += bytes;
        while (recentBytes > maxRecentBytes) {
            recentBytes -= recent.poll().bytes();
        }
    }

    /** Replays to a member that just resumed the window's lines of its room, except its own; after the window, forgets them. */
    void replay(Member member, long nowNanos) {
        if (!remembering(nowNanos)) {
            recent.clear();
            recentBytes = 0;
            return;
        }
        String roomKey = member.room == null ? null : member.room.key;
        for (var line : recent) {
            if (line.roomKey().equals(roomKey) && line.fromId() != member.clientId()) {
                member.mailbox.post(line.line().forMember(member));
            }
        }
    }

    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    /** Lines held for replay now. */
    public int recentLines() {
        return recent.size();
    }
}
