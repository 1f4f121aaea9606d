package io.forkcast.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One telnet client of the load generator: a non-blocking connect, CR LF lines handed to a {@link Listener}
 * as bytes (no String per line), the server's banner recognised and timed, and output either sent once or
 * pulled from a source for as long as the socket takes it. Confined to the thread of its {@link Loop}.
 */
final class Conn {
    static final String BANNER_PREFIX = "Welcome to forkcast, you are ";
    private static final byte[] BANNER = BANNER_PREFIX.getBytes(StandardCharsets.US_ASCII);

    /** What a scenario does with a connection's events; every method runs on the loop thread. */
    interface Listener {
        default void onBanner(Conn conn, long nowNanos) {}

        default void onLine(Conn conn, byte[] buffer, int offset, int length, long nowNanos) {}

        default void onClosed(Conn conn, long nowNanos, String cause) {}
    }

    final int id;
    final long openedNanos;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final Listener listener;
    private final byte[] in = new byte[64 * 1024];
    private final ByteBuffer inBuffer = ByteBuffer.wrap(in);
    private int lineStart;
    private ByteBuffer out;
    private Supplier<ByteBuffer> source;
    long bannerNanos = -1;
    /** What the server said when it refused this connection before its banner ({@link #refusal}), or null. */
    private String refusal;

    long workerPid = -1;
    String address;
    boolean closed;
    /** The room the scenario put it in (Room.fill's {@code rooms}), or -1 when every client shares one. */
    int room = -1;
    /** Bytes of output fully written. */
    long bytesSent;

    private Conn(int id, SocketChannel channel, Selector selector, Listener listener, long openedNanos)
            throws IOException {
        this.id = id;
        this.channel = channel;
        this.listener = listener;
        this.openedNanos = openedNanos;
        this.key = channel.register(selector, SelectionKey.OP_CONNECT, this);
    }

    /** Starts a connection; {@link #openedNanos} is taken just before connect(). */
    static Conn open(int id, Selector selector, InetSocketAddress server, Listener listener) throws IOException {
        var channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        long now = System.nanoTime();
        boolean connected = channel.connect(server);
        var conn = new Conn(id, channel, selector, listener, now);
        if (connected) {
            conn.key.interestOps(SelectionKey.OP_READ);
        }
        return conn;
    }

    boolean hasBanner() {
        return bannerNanos >= 0;
    }

    /** Handles readiness of this connection's key. */
    void ready(long nowNanos) {
        if (closed || !key.isValid()) {
            return;
        }
        try {
            if (key.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ | (out != null || source != null ? SelectionKey.OP_WRITE : 0));
                return;
            }
            if (key.isReadable()) {
                read();
            }
            if (!closed && key.isValid() && key.isWritable()) {
                flush();
            }
        } catch (IOException e) {
            close(nowNanos, "io_error");
        }
    }

    private void read() throws IOException {
        int n = channel.read(inBuffer);
        long now = System.nanoTime(); // after the read: the time the bytes were in hand
        if (n < 0) {
            close(now, refusal != null ? refusal : "eof");
            return;
        }
        int end = inBuffer.position();
        int scan = lineStart;
        for (int i = scan; i < end; i++) {
            if (in[i] == '\n') {
                int length = i - lineStart;
                if (length > 0 && in[i - 1] == '\r') {
                    length--;
                }
                line(lineStart, length, now);
                if (closed) {
                    return;
                }
                lineStart = i + 1;
            }
        }
        if (lineStart == end) {
            inBuffer.clear();
            lineStart = 0;
        } else if (!inBuffer.hasRemaining()) {
            if (lineStart == 0) {
                inBuffer.clear(); // a line longer than the buffer: dropped, the scenarios never send one
            } else {
                System.arraycopy(in, lineStart, in, 0, end - lineStart);
                inBuffer.position(end - lineStart);
                lineStart = 0;
            }
        }
    }

    private void line(int offset, int length, long now) {
        if (bannerNanos < 0 && refusal == null) {
            refusal = refusal(new String(in, offset, length, StandardCharsets.US_ASCII));
        }
        if (bannerNanos < 0 && startsWith(in, offset, length, BANNER)) {
            bannerNanos = now;
            // "Welcome to forkcast, you are 127.0.0.1:40112 (pid 4121). Type /help for commands."
            String text = new String(in, offset, length, StandardCharsets.US_ASCII);
            int space = text.indexOf(' ', BANNER.length);
            address = text.substring(BANNER.length, space);
            int pidAt = text.indexOf("(pid ", space) + 5;
            workerPid = Long.parseLong(text.substring(pidAt, text.indexOf(')', pidAt)));
            listener.onBanner(this, now);
            return;
        }
        listener.onLine(this, in, offset, length, now);
    }

    /**
     * The cause a connection closed before its banner is counted under when the server said why first: the
     * admission's refusals ({@code *** server busy, try again later}, {@code *** too many connections from your
     * address}, {@code *** server full, ...}), or null for any other line.
     */
    static String refusal(String line) {
        if (line.startsWith("*** server busy")) {
            return "busy";
        }
        if (line.startsWith("*** too many connections")) {
            return "per_address";
        }
        return line.startsWith("*** server full") ? "full" : null;
    }

    static boolean startsWith(byte[] buffer, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Sends {@code bytes} after whatever is pending. */
    void send(byte[] bytes) {
        if (closed) {
            return;
        }
        if (out != null && out.hasRemaining()) {
            var joined = ByteBuffer.allocate(out.remaining() + bytes.length);
            joined.put(out).put(bytes).flip();
            out = joined;
        } else {
            out = ByteBuffer.wrap(bytes);
        }
        tryFlush();
    }

    /**
     * Writes buffers from {@code next} for as long as the socket takes them; {@code next} returns null when it
     * has nothing now, and {@link #kick()} asks again. {@code pull(null)} stops pulling.
     */
    void pull(Supplier<ByteBuffer> next) {
        this.source = next;
        tryFlush();
    }

    /** Tries to write more: pending output, then whatever the source has now. */
    void kick() {
        if (!closed && (source != null || out != null)) {
            tryFlush();
        }
    }

    private void tryFlush() {
        try {
            flush();
        } catch (IOException e) {
            close(System.nanoTime(), "io_error");
        }
    }

    private void flush() throws IOException {
        if (!channel.isConnected()) {
            return; // OP_CONNECT is pending; flushed once connected
        }
        while (true) {
            if (out == null || !out.hasRemaining()) {
                out = source == null ? null : source.get();
                if (out == null) {
                    break;
                }
            }
            int before = out.remaining();
            int n = channel.write(out);
            bytesSent += n;
            if (n < before) {
                break; // the socket is full
            }
        }
        boolean more = out != null && out.hasRemaining();
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_READ | (more ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** True while output is queued. */
    boolean sending() {
        return out != null && out.hasRemaining();
    }

    void close(long nowNanos, String cause) {
        if (closed) {
            return;
        }
        closed = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // Done with it either way.
        }
        listener.onClosed(this, nowNanos, cause);
    }
}
