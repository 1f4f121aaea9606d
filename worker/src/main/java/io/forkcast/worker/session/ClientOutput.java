package io.forkcast.worker.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Output to the client, bounded: lines rendered during one turn of the loop collect in one array and go out
 * in one write; what the client does not take waits, up to a limit past which the client is dropped.
 * Confined to the worker's loop thread.
 */
final class ClientOutput {
    private static final byte[] CRLF = {'\r', '\n'};

    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private byte[] pending = new byte[4096];
    private int pendingLength;
    private long queuedBytes;

    /** Adds one line, ended by CR LF. */
    void line(String text) {
        append(text.getBytes(StandardCharsets.UTF_8));
        append(CRLF);
    }

    /** Adds raw bytes, e.g. a telnet reply. */
    void append(byte[] bytes) {
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
    }

    /** Bytes written by the loop but not yet taken by the client. */
    long backlogBytes() {
        return queuedBytes + pendingLength;
    }

    boolean isEmpty() {
        return backlogBytes() == 0;
    }

    /** Writes what the socket takes, in one gathering write; true when nothing is left. */
    boolean flush(SocketChannel channel) throws IOException {
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
