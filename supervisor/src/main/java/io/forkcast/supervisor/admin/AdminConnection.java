package io.forkcast.supervisor.admin;

import io.forkcast.supervisor.spawn.PeerCredentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One admin client: its channel, a bounded input buffer (one line of at most {@link AdminServer#MAX_LINE_BYTES}
 * plus CR LF) and a queue of replies not yet written. Confined to the loop thread.
 */
final class AdminConnection {
    final long number;
    final SocketChannel channel;
    final PeerCredentials peer;
    /** The input buffer's array, which AdminServer scans for line ends in place. */
    final byte[] inputBytes = new byte[AdminServer.MAX_LINE_BYTES + 2];

    final ByteBuffer input = ByteBuffer.wrap(inputBytes);
    private final ArrayDeque<ByteBuffer> output = new ArrayDeque<>();
    private long queuedBytes;
    SelectionKey key;
    /** Set after QUIT or a fatal error: nothing more is read, the connection closes once its output is written. */
    boolean closeWhenFlushed;
    /** Set while a reply is awaited from elsewhere (LIST ALL): nothing more is read or run until it comes. */
    boolean waiting;
    /** When the peer last sent a byte (or connected): admin_idle_timeout counts from here. */
    long lastHeardNanos = System.nanoTime();

    AdminConnection(long number, SocketChannel channel, PeerCredentials peer) {
        this.number = number;
        this.channel = channel;
        this.peer = peer;
    }

    void queue(List<String> lines) {
        var text = new StringBuilder();
        for (var line : lines) {
            text.append(line).append('\n');
        }
        var bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        output.add(bytes);
        queuedBytes += bytes.remaining();
    }

    long queuedBytes() {
        return queuedBytes;
    }

    /** Writes what the channel takes; true when nothing is left. */
    boolean flush() throws IOException {
        while (!output.isEmpty()) {
            long written = channel.write(output.toArray(ByteBuffer[]::new));
            queuedBytes -= written;
            while (!output.isEmpty() && !output.peek().hasRemaining()) {
                output.poll();
            }
            if (written == 0) {
                break;
            }
        }
        return output.isEmpty();
    }

    String describe() {
        return "admin=" + number + " pid=" + peer.pid() + " uid=" + peer.uid();
    }
}
