package io.forkcast.supervisor.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** Plays systemd's side of NOTIFY_SOCKET in tests (unit and integration): a bound datagram socket read in order. */
public final class NotifySocket implements AutoCloseable {
    private final UnixDatagramChannel channel;
    private final String name;
    private final ByteBuffer buffer = ByteBuffer.allocate(4096);

    private NotifySocket(UnixDatagramChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    public static NotifySocket atPath(Path path) throws IOException {
        var channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress(path.toString()));
        channel.configureBlocking(false);
        return new NotifySocket(channel, path.toString());
    }

    public static NotifySocket abstractNamed(String name) throws IOException {
        var channel = UnixDatagramChannel.open();
        channel.bind(new UnixSocketAddress("\0" + name));
        channel.configureBlocking(false);
        return new NotifySocket(channel, "@" + name);
    }

    /** The value NOTIFY_SOCKET takes to reach this socket. */
    public String name() {
        return name;
    }

    /** The next message, or null if none arrives within {@code timeout}. */
    public String next(Duration timeout) throws IOException {
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

    /** Reads messages until one matches; fails naming what was read if none does within {@code timeout}. */
    public String expect(java.util.function.Predicate<String> match, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var skipped = new java.util.ArrayList<String>();
        while (true) {
            String message = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (message == null) {
                org.junit.jupiter.api.Assertions.fail(
                        "no matching notify message within " + timeout.toMillis() + " ms; read " + skipped);
            }
            if (match.test(message)) {
                return message;
            }
            skipped.add(message);
        }
    }

    public String next() throws IOException {
        return next(Duration.ofSeconds(5));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
