package io.forkcast.supervisor.link;

import io.forkcast.supervisor.route.Receipt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Write scheduling: a frame queued for a worker marks its link dirty, and every dirty link is flushed once at the
 * end of the loop turn, so a worker gets one gathering write per turn however many frames arrived for it. A backlog
 * past {@link #FLUSH_EARLY_BYTES} goes out at once. A link whose write fails is closed after the turn, never while a
 * broadcast walks its recipients. Confined to the loop thread.
 */
final class LinkWriter {
    /** Batching is for small frames; a larger backlog built within one turn goes out now. */
    static final int FLUSH_EARLY_BYTES = 32 * 1024;

    /** Links with frames queued this turn, each once ({@link WorkerLink#dirty}). */
    private final List<WorkerLink> dirty = new ArrayList<>();
    /** Links whose write failed this turn, closed at its end. */
    private final List<WorkerLink> broken = new ArrayList<>();
    /** What to do with a worker whose outbox is full: drop it (Links). */
    private final Consumer<WorkerLink> onOverflow;
    /** Bytes queued for workers since start. */
    private long bytesRelayed;
    /** Frames queued for workers since start. */
    private long deliveries;
    /** False once a handover froze the links: they are written to, never read again. */
    private boolean reading = true;

    LinkWriter(Consumer<WorkerLink> onOverflow) {
        this.onOverflow = onOverflow;
    }

    /**
     * Queues {@code frame} for {@code link}, holding {@code receipt} until it is written; false if the link is being
     * dropped, or is dropped now for it.
     */
    boolean enqueue(WorkerLink link, ByteBuffer frame, Receipt receipt) {
        if (!link.state.open()) {
            return false;
        }
        if (!link.outbox.offer(frame, receipt)) {
            onOverflow.accept(link);
            return false;
        }
        link.linesOut++;
        deliveries++;
        bytesRelayed += frame.remaining();
        if (link.outbox.queuedBytes() >= FLUSH_EARLY_BYTES) {
            // A healthy worker's outbox must never fill merely because many frames arrived in one read.
            flush(link);
        } else {
            markDirty(link);
        }
        return true;
    }

    /** Queues {@code frame} past the limit: the last word to a worker being dropped. */
    void force(WorkerLink link, ByteBuffer frame) {
        if (frame != null) {
            link.outbox.force(frame);
            markDirty(link);
        }
    }

    void markDirty(WorkerLink link) {
        // A flag, not dirty.contains(): a broadcast marks every link, and a list scan per link is quadratic.
        if (link.outbox.queuedBytes() > 0 && !link.dirty) {
            link.dirty = true;
            dirty.add(link);
        }
    }

    /** Writes what the link's worker takes now; waits for OP_WRITE for the rest. */
    void flush(WorkerLink link) {
        try {
            link.outbox.writeTo(link.channel);
            int ops = (reading ? SelectionKey.OP_READ : 0) | (link.outbox.isEmpty() ? 0 : SelectionKey.OP_WRITE);
            if (link.key.isValid()) {
                link.key.interestOps(ops);
            }
        } catch (IOException e) {
            if (!broken.contains(link)) {
                broken.add(link);
            }
        }
    }

    /**
     * At the end of a turn: flushes every dirty link and closes the broken ones with {@code close}; closing tells
     * the others a client left, which may queue more, so this repeats until all is written.
     */
    void endOfTurn(Consumer<WorkerLink> close) {
        do {
            for (int i = 0; i < dirty.size(); i++) {
                var link = dirty.get(i);
                link.dirty = false;
                if (link.state != LinkState.CLOSED) {
                    flush(link);
                }
            }
            dirty.clear();
            while (!broken.isEmpty()) {
                close.accept(broken.removeFirst());
            }
        } while (!dirty.isEmpty());
    }

    /** From now on links are only written to (a handover drains them). */
    void stopReading() {
        reading = false;
    }

    /** False once a handover froze the links. */
    boolean reading() {
        return reading;
    }

    long bytesRelayed() {
        return bytesRelayed;
    }

    long deliveries() {
        return deliveries;
    }
}
