package io.forkcast.supervisor.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** Plays systemd's side of NOTIFY_SOCKET in tests: a bound datagram socket whose messages are read in order. */
final class NotifySocket implements AutoCloseable {
    private final UnixDatagramChannel channel;
    private final String name;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);

    private NotifySocket(UnixDatagramChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    static NotifySocket atPath(Path path) throws IOException {
        var channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress(path.toString()));
        channel.configureBlocking(false);
        return new NotifySocket(channel, path.toString());
    }

    static NotifySocket abstractNamed(String name) throws IOException {
        var channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress("\0" + name));
        channel.configureBlocking(false);
        return new NotifySocket(channel, "@" + name);
    }

    /** The value NOTIFY_SOCKET takes to reach this socket. */
    String name() {
        return name;
    }

    /** The next message, or null if none arrives within {@code timeout}. */
    String next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            buffer.clear();
            if (receive() && buffer.position() > 0) {
                buffer.flip();
                return StandardCharsets.UTF_8.decode(buffer).toString();
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** jnr reports an empty non-blocking socket as an IOException carrying EAGAIN's message. */
    private boolean receive() throws IOException {
        try {
            return channel.receive(buffer) != null;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
                return false;
            }
            throw e;
        }
    }

    String next() throws IOException {
        return next(Duration.ofSeconds(5));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
