package io.forkcast.worker.front;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Output to the client, bounded: what a front door renders during one turn of the loop collects in one array and
 * goes out in one write; what the client does not take waits, up to a limit past which the loop drops the client.
 * Confined to the worker's loop thread.
 */
public final class ClientOutput {
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private byte[] pending = new byte[4096];
    private int pendingLength;
    private long queuedBytes;

    /** Adds bytes, rendered by the front door; the array is copied, the caller may reuse it. */
    public void append(byte[] bytes) {
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
    }

    /** Bytes written by the loop but not yet taken by the client. */
    public long backlogBytes() {
        return queuedBytes + pendingLength;
    }

    public boolean isEmpty() {
        return backlogBytes() == 0;
    }

    /** Writes what the socket takes, in one gathering write; true when nothing is left. */
    public boolean flush(GatheringByteChannel channel) throws IOException {
        if (pendingLength > 0) {
            queued.add(ByteBuffer.wrap(Arrays.copyOf(pending, pendingLength)));
            queuedBytes += pendingLength;
            pendingLength = 0;
            if (pending.length > 64 * 1024) {
                pending = new byte[4096];
            }
        }
        while (!queued.isEmpty()) {
            long written = channel.write(queued.toArray(ByteBuffer[]::new));
            queuedBytes -= written;
            while (!queued.isEmpty() && !queued.peek().hasRemaining()) {
                queued.poll();
            }
            if (written == 0) {
                return false;
            }
        }
        return true;
    }
}
