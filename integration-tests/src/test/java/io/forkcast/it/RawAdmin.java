package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.forkcast.admin.AdminClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw admin-socket client for protocol tests: sends any bytes, reads LF-terminated lines with a deadline (a
 * reader thread queues them), and tells end of stream apart from silence.
 */
final class RawAdmin implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final String EOF = "\u0000EOF";

    private final SocketChannel channel;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private RawAdmin(SocketChannel channel) {
        this.channel = channel;
        Thread.ofPlatform().daemon().name("it-raw-admin").start(this::readLoop);
    }

    static RawAdmin connect(Path socket) throws IOException {
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawAdmin(channel);
    }

    static Path socketOf(ForkcastServer server) {
        return server.runtimeDir().resolve("admin.sock");
    }

    /** The admin id of a telnet client, found by its address in {@code LIST}. */
    static long idOf(ForkcastServer server, TelnetClient client) throws IOException {
        try (var admin = AdminClient.connect(socketOf(server))) {
            return admin.list().stream()
                    .filter(c -> c.peer().equals(client.address()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no client " + client.address() + " in LIST"))
                    .id();
        }
    }

    private void readLoop() {
        var buffer = ByteBuffer.allocate(64 * 1024);
        var line = new ByteArrayOutputStream();
        try {
            while (channel.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        lines.add(line.toString(StandardCharsets.UTF_8));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
            }
        } catch (IOException closedOrReset) {
            // Treated as end of stream: the server closed while we had unread data, or we closed.
        }
        lines.add(EOF);
    }

    void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** The next line, or null at end of stream; fails after {@link #TIMEOUT}. */
    String readLine() throws InterruptedException {
        String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("no line from the admin socket within " + TIMEOUT.toMillis() + " ms");
        }
        if (line.equals(EOF)) {
            lines.add(EOF);
            return null;
        }
        return line;
    }

    /** One whole reply: its single line, or the lines from START to END inclusive. */
    List<String> reply() throws InterruptedException {
        var reply = new ArrayList<String>();
        String first = readLine();
        assertNotNull(first, "connection closed instead of a reply");
        reply.add(first);
        if (first.equals("=== START ===")) {
            String next;
            do {
                next = readLine();
                assertNotNull(next, "connection closed inside a multi-line reply: " + reply);
                reply.add(next);
            } while (!next.equals("=== END ==="));
        }
        return reply;
    }

    List<String> command(String line) throws IOException, InterruptedException {
        send(line + "\n");
        return reply();
    }

    /** The single-line reply to {@code line}. */
    String single(String line) throws IOException, InterruptedException {
        var reply = command(line);
        assertEquals(1, reply.size(), "a single-line reply to " + line + ": " + reply);
        return reply.getFirst();
    }

    void expectClosed() throws InterruptedException {
        String line = readLine();
        assertNull(line, "expected the server to close the connection, got " + line);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Test cleanup.
        }
    }
}
