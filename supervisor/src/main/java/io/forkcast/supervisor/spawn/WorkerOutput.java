package io.forkcast.supervisor.spawn;

import io.forkcast.supervisor.loop.KeyHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;

/**
 * The read end of the pipe a worker's fd 1 and 2 go to. What the JVM prints before the worker's main runs (a bad
 * option, a missing class) arrives here, and so does whatever a worker that logs to its stderr prints: every line is
 * copied whole to the supervisor's stderr, so nothing is lost and lines of two workers never mix. The first
 * non-blank line a worker printed before it connected to the hub is kept: it says why a worker failed to boot.
 * Confined to the loop thread.
 */
public final class WorkerOutput implements KeyHandler {
    /** Bytes taken per read: the loop reads once per turn per worker, so one chatty worker cannot hold it. */
    static final int READ_BYTES = 8 * 1024;
    /** A line longer than this is copied in pieces. */
    static final int MAX_LINE_BYTES = 8 * 1024;
    /** The first line is kept up to this many characters. */
    static final int MAX_FIRST_LINE_CHARS = 400;

    private final Pipe.SourceChannel source;
    /** Where lines are copied: the supervisor's stderr. */
    private final OutputStream copy;

    private final ByteBuffer buffer = ByteBuffer.allocate(READ_BYTES);
    /** The start of a line not yet ended, and its length. */
    private final byte[] partial = new byte[MAX_LINE_BYTES];
    /** A whole line and its newline, so that it goes out in one write and never mixes with another line. */
    private final byte[] out = new byte[Math.max(READ_BYTES, MAX_LINE_BYTES) + 1];

    private int partialBytes;
    /** The first non-blank line, or null; kept until the worker connects. */
    private String firstLine;
    /** Set once the worker connected to the hub: later lines are copied only. */
    private boolean connected;

    private SelectionKey key;
    private boolean closed;

    public WorkerOutput(Pipe.SourceChannel source, OutputStream copy) {
        this.source = source;
        this.copy = copy;
    }

    /** Starts reading on the loop's selector. */
    public void register(Selector selector) throws IOException {
        source.configureBlocking(false);
        key = source.register(selector, SelectionKey.OP_READ, this);
    }

    @Override
    public void onReady(SelectionKey ready) {
        readOnce();
    }

    @Override
    public void onFailure(RuntimeException e) {
        close();
    }

    /** The worker connected to the hub: its later lines say nothing about its start. */
    public void connected() {
        connected = true;
    }

    /** The first non-blank line the worker printed before it connected, or "" if none. */
    public String firstLine() {
        return firstLine != null ? firstLine : "";
    }

    /** The worker exited: reads what it left in the pipe (bounded), ends its last line, and closes. */
    public void drain() {
        for (int reads = 0; reads < 16 && !closed; reads++) {
            if (readOnce() <= 0) {
                break;
            }
        }
        if (partialBytes > 0) {
            line(partial, 0, partialBytes);
            partialBytes = 0;
        }
        close();
    }

    /** One read: complete lines copied, the rest kept. Returns the bytes read, or -1 at the end. */
    int readOnce() {
        if (closed) {
            return -1;
        }
        int n;
        try {
            buffer.clear();
            n = source.read(buffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            if (partialBytes > 0) {
                line(partial, 0, partialBytes);
                partialBytes = 0;
            }
            close();
            return -1;
        }
        byte[] bytes = buffer.array();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] == '\n') {
                emit(bytes, start, i - start);
                start = i + 1;
            }
        }
        keep(bytes, start, n - start);
        return n;
    }

    private void emit(byte[] bytes, int offset, int length) {
        if (partialBytes == 0) {
            line(bytes, offset, length);
            return;
        }
        keep(bytes, offset, length);
        line(partial, 0, partialBytes);
        partialBytes = 0;
    }

    private void keep(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int room = partial.length - partialBytes;
            if (room == 0) {
                line(partial, 0, partialBytes);
                partialBytes = 0;
                room = partial.length;
            }
            int take = Math.min(room, length);
            System.arraycopy(bytes, offset, partial, partialBytes, take);
            partialBytes += take;
            offset += take;
            length -= take;
        }
    }

    /** One line (without its newline): noted if it is the first, and copied whole. */
    private void line(byte[] bytes, int offset, int length) {
        if (firstLine == null && !connected) {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                firstLine = text.length() > MAX_FIRST_LINE_CHARS ? text.substring(0, MAX_FIRST_LINE_CHARS) : text;
            }
        }
        System.arraycopy(bytes, offset, out, 0, length);
        out[length] = '\n';
        try {
            copy.write(out, 0, length + 1);
            copy.flush();
        } catch (IOException ignored) {
            // The supervisor's own stderr is gone; there is nowhere left to copy to.
        }
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            source.close();
        } catch (IOException ignored) {
            // Our end of a pipe; nothing more to read from it either way.
        }
    }
}
