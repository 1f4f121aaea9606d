package io.forkcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The load generator's one event loop: a Selector over every {@link Conn}, turned until a condition holds or
 * a deadline passes, with a tick after each turn for the scenario's schedule. Every loop is bounded in time.
 * Confined to the thread that runs it.
 */
final class Loop implements AutoCloseable {
    private final Selector selector;
    private final InetSocketAddress server;
    final List<Conn> conns = new ArrayList<>();

    Loop(String host, int port) throws IOException {
        this.selector = Selector.open();
        this.server = new InetSocketAddress(host, port);
    }

    /** Opens connection number {@code conns.size()}; a failure to even start counts as a closed connection. */
    Conn open(Conn.Listener listener) {
        try {
            var conn = Conn.open(conns.size(), selector, server, listener);
            conns.add(conn);
            return conn;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open connection " + conns.size() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Turns the loop until {@code done} is true or {@code timeoutNanos} has passed, calling {@code tick} with the
     * time after each turn. Waits at most {@code tickNanos} in select. Returns true if {@code done} became true.
     */
    boolean runUntil(BooleanSupplier done, long timeoutNanos, long tickNanos, LongConsumer tick) {
        long deadline = System.nanoTime() + timeoutNanos;
        long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(tickNanos));
        try {
            while (true) {
                long now = System.nanoTime();
                tick.accept(now);
                if (done.getAsBoolean()) {
                    return true;
                }
                if (now >= deadline) {
                    return false;
                }
                selector.select(Math.min(waitMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now))));
                long after = System.nanoTime();
                for (var key : selector.selectedKeys()) {
                    ((Conn) key.attachment()).ready(after);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean runUntil(BooleanSupplier done, long timeoutNanos) {
        return runUntil(done, timeoutNanos, TimeUnit.MILLISECONDS.toNanos(50), now -> {});
    }

    /** Connections that have their banner and are still open. */
    List<Conn> live() {
        return conns.stream().filter(c -> c.hasBanner() && !c.closed).toList();
    }

    @Override
    public void close() {
        long now = System.nanoTime();
        for (var conn : conns) {
            conn.close(now, "end");
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Closing at the end of a run.
        }
    }
}
