package io.forkcast.supervisor.link;

import io.forkcast.supervisor.route.Receipt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;

/**
 * Frames waiting for one worker, bounded in bytes. Frames are shared, immutable buffers (a broadcast is
 * encoded once); the outbox keeps its own view of each. Written with gathering writes of up to
 * {@link #MAX_GATHER} frames. Each frame has its {@link Receipt} beside it (NONE for most), released when the
 * frame is written whole or discarded, so that its sender is acknowledged only for what reached the worker's
 * socket. Confined to the loop thread.
 */
final class Outbox {
    // A backlogged outbox goes out in ceil(frames / MAX_GATHER) writev calls; Linux takes up to 1024 (IOV_MAX).
    static final int MAX_GATHER = 256;

    private final ArrayDeque<ByteBuffer> frames = new ArrayDeque<>();
    /** The receipt of each frame in {@link #frames}, in the same order: a parallel deque allocates nothing. */
    private final ArrayDeque<Receipt> receipts = new ArrayDeque<>();

    private final long limitBytes;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private long queuedBytes;
    /** Bytes written since the outbox was made: a worker that takes none for long is stalled (Links.tick). */
    private long writtenBytes;

    Outbox(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** Queues {@code frame} unless that would pass the limit; false means the worker is too far behind. */
    boolean offer(ByteBuffer frame) {
        return offer(frame, Receipt.NONE);
    }

    /** {@link #offer(ByteBuffer)}, holding {@code receipt} until the frame is written or discarded. */
    boolean offer(ByteBuffer frame, Receipt receipt) {
        int size = frame.remaining();
        if (queuedBytes + size > limitBytes) {
            return false;
        }
        frames.add(frame.duplicate());
        receipts.add(receipt);
        receipt.hold();
        queuedBytes += size;
        return true;
    }

    /** Queues {@code frame} regardless of the limit; for the last word to a worker being dropped. */
    void force(ByteBuffer frame) {
        frames.add(frame.duplicate());
        receipts.add(Receipt.NONE);
        queuedBytes += frame.remaining();
    }

    /** Drops every queued frame except one already partly written, which must finish to keep the stream whole. */
    void discardUnstarted() {
        ByteBuffer head = frames.peek();
        boolean keepHead = head != null && head.position() > 0;
        Receipt headReceipt = keepHead ? receipts.poll() : null;
        releaseAll();
        if (keepHead) {
            frames.add(head);
            receipts.add(headReceipt);
            queuedBytes = head.remaining();
        }
    }

    /** Drops every frame, releasing its receipt: the worker is gone, or is being dropped for cause. */
    void releaseAll() {
        Receipt receipt;
        while ((receipt = receipts.poll()) != null) {
            receipt.release();
        }
        frames.clear();
        queuedBytes = 0;
    }

    long writtenBytes() {
        return writtenBytes;
    }

    long queuedBytes() {
        return queuedBytes;
    }

    long limitBytes() {
        return limitBytes;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Writes what the channel takes; returns the number of bytes written. */
    long writeTo(GatheringByteChannel channel) throws IOException {
        long total = 0;
        while (!frames.isEmpty()) {
            int n = 0;
            for (ByteBuffer frame : frames) {
                if (n == MAX_GATHER) {
                    break;
                }
                gather[n++] = frame;
            }
            long written = channel.write(gather, 0, n);
            java.util.Arrays.fill(gather, 0, n, null);
            total += written;
            queuedBytes -= written;
            writtenBytes += written;
            while (!frames.isEmpty() && !frames.peek().hasRemaining()) {
                frames.poll();
                receipts.poll().release();
            }
            if (written == 0) {
                break;
            }
        }
        return total;
    }
}
