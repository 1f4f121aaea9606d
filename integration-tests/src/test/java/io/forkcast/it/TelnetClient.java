package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A raw TCP client speaking to forkcast as telnet would: sends bytes and CR LF lines, reads CR LF lines with a
 * deadline. Not thread-safe; one test thread per client.
 */
public final class TelnetClient implements AutoCloseable {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> seen = new ArrayList<>();
    private String address;
    private long pid;

    TelnetClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void identify(String address, long pid) {
        this.address = address;
        this.pid = pid;
    }

    /** The client's {@code ip:port} as the server greeted it. */
    public String address() {
        return address;
    }

    /** Pid of the worker JVM serving this client, from its banner. */
    public long pid() {
        return pid;
    }

    public Socket socket() {
        return socket;
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Next line, or null at end of stream; fails on timeout. */
    public String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            byte[] bytes = partial.toByteArray();
            for (int i = 0; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    String line = new String(bytes, 0, i, StandardCharsets.UTF_8);
                    partial.reset();
                    partial.write(bytes, i + 2, bytes.length - i - 2);
                    seen.add(line);
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no line within " + timeout.toMillis() + " ms; lines so far: " + seen + " partial: "
                        + new String(bytes, StandardCharsets.UTF_8));
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            byte[] buf = new byte[8192];
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return null;
            }
            if (n < 0) {
                return null;
            }
            partial.write(buf, 0, n);
        }
    }

    public String readLine() throws IOException {
        return readLine(DEFAULT_TIMEOUT);
    }

    /** Reads lines until one matches; fails on timeout or end of stream. */
    public String expectLine(Predicate<String> match) throws IOException {
        return expectLine(match, DEFAULT_TIMEOUT);
    }

    public String expectLine(Predicate<String> match, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no matching line within " + timeout.toMillis() + " ms; lines so far: " + seen);
            }
            String line = readLine(Duration.ofNanos(left));
            if (line == null) {
                fail("connection closed before a matching line; lines so far: " + seen);
            }
            if (match.test(line)) {
                return line;
            }
        }
    }

    public String expect(String exactLine) throws IOException {
        return expectLine(exactLine::equals);
    }

    /** Reads until end of stream (the server closed); fails on timeout. Returns the lines read. */
    public List<String> expectClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var lines = new ArrayList<String>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("connection still open after " + timeout.toMillis() + " ms; lines so far: " + seen);
            }
            String line = readLine(Duration.ofNanos(left));
            if (line == null) {
                return lines;
            }
            lines.add(line);
        }
    }

    /** Every line read so far. */
    public List<String> seen() {
        return seen;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Test cleanup.
        }
    }
}
