package io.forkcast.worker.hub;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.WorkerMessage;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The worker's connection to the supervisor's hub socket: frames out through a queue flushed with one
 * gathering write, frames in through an incremental decoder. Confined to the worker's loop thread.
 */
public final class HubLink {
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final SocketChannel channel;
    private final FrameEncoder encoder;
    private final FrameDecoder decoder;
    private final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private long queuedBytes;

    private HubLink(SocketChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.encoder = new FrameEncoder(maxFrameBytes);
        this.decoder = new FrameDecoder(maxFrameBytes);
    }

    /** Connects (blocking, local and quick) and leaves the channel non-blocking. */
    public static HubLink connect(Path socket, int maxFrameBytes) throws IOException {
        var channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        channel.configureBlocking(false);
        return new HubLink(channel, maxFrameBytes);
    }

    public SocketChannel channel() {
        return channel;
    }

    /** Queues one frame; {@link #flush()} sends it. */
    public void send(WorkerMessage message) throws ProtocolException {
        var frame = encoder.encode(message);
        outbox.add(frame);
        queuedBytes += frame.remaining();
    }

    public long queuedBytes() {
        return queuedBytes;
    }

    /** Writes as much of the queue as the socket takes, in one gathering write; true when it is empty. */
    public boolean flush() throws IOException {
        while (!outbox.isEmpty()) {
            long written = channel.write(outbox.toArray(ByteBuffer[]::new));
            queuedBytes -= written;
            while (!outbox.isEmpty() && !outbox.peek().hasRemaining()) {
                outbox.poll();
            }
            if (written == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads what is available and hands each decoded message to {@code sink}. Returns false at end of stream.
     */
    public boolean read(Consumer<? super Message> sink) throws IOException, ProtocolException {
        while (true) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            readBuffer.flip();
            decoder.feed(readBuffer, sink);
            if (n < READ_BUFFER_BYTES) {
                return true;
            }
        }
    }

    /** Decodes bytes that were read from the link by other means (a spare worker's recvmsg). */
    public void decode(ByteBuffer bytes, Consumer<? super Message> sink) throws ProtocolException {
        decoder.feed(bytes, sink);
    }

    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a local socket we are done with: nothing to do about a failure.
        }
    }
}
