package io.forkcast.worker.hub;

import io.forkcast.protocol.message.WorkerMessage;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The client's lines the supervisor has not acknowledged yet, oldest first: added as they are sent, forgotten
 * up to an acknowledged number, resent in order after a supervisor restart. Bounded by lines and by chars of
 * text, so that neither many short lines nor a few long ones fill the worker's heap. While full it keeps the
 * time it filled: a supervisor that stays linked but acknowledges nothing for the stall timeout is stuck.
 * Confined to the worker's loop thread.
 */
final class Backlog implements Iterable<WorkerMessage> {
    /** Lines kept until the supervisor acknowledges them; at the flood limit's defaults, minutes of typing. */
    static final int MAX_LINES = 4096;
    /** Text kept until acknowledged, in chars: long lines fill the backlog before the line count does. */
    static final long MAX_CHARS = 1 << 20;

    private final ArrayDeque<WorkerMessage> lines = new ArrayDeque<>();
    /** How long a full backlog may wait for an ack; fixed. */
    private final long stallTimeoutNanos;
    /** The chars of text in {@link #lines}; changed with it. */
    private long chars;
    /** When the backlog last filled, or the stall clock was restarted. */
    private long fullSinceNanos;

    Backlog(long stallTimeoutNanos) {
        this.stallTimeoutNanos = stallTimeoutNanos;
    }

    /** True while another line may be kept. */
    boolean hasRoom() {
        return lines.size() < MAX_LINES && chars < MAX_CHARS;
    }

    /**
     * Keeps {@code line} (a ClientSaid, ClientActed, PrivateSaid, BrokerSend or TaggedSaid) until its number is acknowledged; if
     * that fills the backlog, the stall clock starts at {@code nowNanos}.
     */
    void add(WorkerMessage line, long nowNanos) {
        lines.add(line);
        chars += charsOf(line);
        if (!hasRoom()) {
            fullSinceNanos = nowNanos;
        }
    }

    /** Starts the stall clock again (a resumed session, its backlog just resent, gets the whole timeout). */
    void restartStallClock(long nowNanos) {
        fullSinceNanos = nowNanos;
    }

    /** When the backlog last filled. */
    long fullSinceNanos() {
        return fullSinceNanos;
    }

    /** Past this, a full backlog that got no ack means a stuck supervisor. */
    long stallDeadline() {
        return fullSinceNanos + stallTimeoutNanos;
    }

    /** Every kept line up to {@code seq} has been relayed: forgets them. */
    void ackedUpTo(long seq) {
        while (!lines.isEmpty() && seqOf(lines.peek()) <= seq) {
            chars -= charsOf(lines.poll());
        }
    }

    int size() {
        return lines.size();
    }

    long chars() {
        return chars;
    }

    /** The kept lines, oldest first, as they are resent. */
    @Override
    public Iterator<WorkerMessage> iterator() {
        return lines.iterator();
    }

    private static long charsOf(WorkerMessage line) {
        if (line instanceof WorkerMessage.ClientSaid s) {
            return s.text().length();
        }
        if (line instanceof WorkerMessage.ClientActed a) {
            return a.action().length();
        }
        if (line instanceof WorkerMessage.BrokerSend b) {
            return (long) b.data().length()
                    + (b.channel() == null ? 0 : b.channel().length());
        }
        if (line instanceof WorkerMessage.TaggedSaid t) {
            long chars = t.message().length();
            for (var tag : t.tags().entrySet()) {
                chars += tag.getKey().length() + tag.getValue().length();
            }
            return chars;
        }
        if (line instanceof WorkerMessage.MqttPublish m) {
            return (long) m.payload().length + m.topic().length(); // bytes, counted as chars: the bound is the same
        }
        return line instanceof WorkerMessage.PrivateSaid p ? p.text().length() : 0;
    }

    private static long seqOf(WorkerMessage line) {
        if (line instanceof WorkerMessage.ClientSaid s) {
            return s.seq();
        }
        if (line instanceof WorkerMessage.ClientActed a) {
            return a.seq();
        }
        if (line instanceof WorkerMessage.BrokerSend b) {
            return b.seq();
        }
        if (line instanceof WorkerMessage.TaggedSaid t) {
            return t.seq();
        }
        if (line instanceof WorkerMessage.MqttPublish m) {
            return m.seq();
        }
        return line instanceof WorkerMessage.PrivateSaid p ? p.seq() : 0;
    }
}
