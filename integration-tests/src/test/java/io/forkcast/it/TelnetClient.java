package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.fail;

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
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private int scanned;
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
            for (int i = Math.max(start, scanned); i + 1 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    String line = new String(buffer, start, i - start, StandardCharsets.UTF_8);
                    start = i + 2;
                    scanned = start;
                    seen.add(line);
                    return line;
                }
            }
            scanned = Math.max(start, end - 1);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no line within " + timeout.toMillis() + " ms; " + recent() + " partial: "
                        + abbreviate(new String(buffer, start, end - start, StandardCharsets.UTF_8)));
            }
            if (end == buffer.length) {
                int size = end - start;
                byte[] next = size * 2 > buffer.length ? new byte[buffer.length * 2] : buffer;
                System.arraycopy(buffer, start, next, 0, size);
                buffer = next;
                scanned -= start;
                start = 0;
                end = size;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(buffer, end, buffer.length - end);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return null;
            }
            if (n < 0) {
                return null;
            }
            end += n;
        }
    }

    /** The last lines read, abbreviated, for failure messages. */
    String recent() {
        var last = seen.subList(Math.max(0, seen.size() - 15), seen.size());
        return "last lines read (" + seen.size() + " in all): "
                + last.stream().map(TelnetClient::abbreviate).toList();
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 150) + "...(" + s.length() + " chars)";
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
                fail("no matching line within " + timeout.toMillis() + " ms; " + recent());
            }
            String line = readLine(Duration.ofNanos(left));
            if (line == null) {
                fail("connection closed before a matching line; " + recent());
            }
            if (match.test(line)) {
                return line;
            }
        }
    }

    public String expect(String exactLine) throws IOException {
        return expectLine(exactLine::equals);
    }

    /**
     * Reads until {@code expected} (raw bytes, such as a prompt with no line ending or telnet commands) comes next
     * in the stream, and consumes it; whole lines before it are read as lines (see {@link #seen}). Fails on
     * timeout, or when something else than a line or {@code expected} comes.
     */
    public void expectBytes(byte[] expected) throws IOException {
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            int have = end - start;
            int common = 0;
            while (common < Math.min(have, expected.length) && buffer[start + common] == expected[common]) {
                common++;
            }
            if (common == expected.length) {
                start += expected.length;
                scanned = start;
                return;
            }
            if (common < have) {
                // Not the expected bytes: a whole line may come first.
                int lineEnd = -1;
                for (int i = start; i + 1 < end; i++) {
                    if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                        lineEnd = i;
                        break;
                    }
                }
                if (lineEnd >= 0) {
                    seen.add(new String(buffer, start, lineEnd - start, StandardCharsets.UTF_8));
                    start = lineEnd + 2;
                    scanned = start;
                    continue;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no " + latin1(expected) + " within " + DEFAULT_TIMEOUT.toMillis() + " ms; got "
                        + latin1(java.util.Arrays.copyOfRange(buffer, start, end)) + "; " + recent());
            }
            if (end == buffer.length) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                scanned -= start;
                start = 0;
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(buffer, end, buffer.length - end);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                fail("connection closed before " + latin1(expected) + "; " + recent());
            }
            end += n;
        }
    }

    /** {@code bytes} shown with telnet command bytes as {@code <255>}. */
    static String latin1(byte[] bytes) {
        var text = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            text.append(c >= 32 && c < 127 ? String.valueOf((char) c) : "<" + c + ">");
        }
        return text.toString();
    }

    /** Reads until end of stream (the server closed); fails on timeout. Returns the lines read. */
    public List<String> expectClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var lines = new ArrayList<String>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("connection still open after " + timeout.toMillis() + " ms; " + recent());
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
