package io.forkcast.supervisor.relay;

import io.forkcast.protocol.frame.FrameDecoder;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One worker as the relay sees it: its hub connection, decoder and outbox, and the client it serves.
 * Confined to the relay thread.
 */
final class WorkerLink {
    final long clientId;
    final long pid;
    final String peer;
    final SocketChannel channel;
    final FrameDecoder decoder;
    final Outbox outbox;
    final long connectedAtNanos;
    SelectionKey key;
    /** Set when the worker's Hello has been accepted and others were told it joined. */
    boolean joined;
    /** Set when the link is being dropped: nothing more is relayed to it, the worker is killed at the deadline. */
    boolean closing;
    long closeDeadlineNanos;
    /** Set while the link is on the relay's list of links to flush at the end of this turn. */
    boolean dirty;
    String nick;
    String leaveCause;
    long lastSeq;
    long linesIn;
    long linesOut;
    long lastInputNanos;

    WorkerLink(long clientId, long pid, String peer, SocketChannel channel, int maxFrameBytes, long outboxBytes,
            long nowNanos) {
        this.clientId = clientId;
        this.pid = pid;
        this.peer = peer;
        this.channel = channel;
        this.decoder = new FrameDecoder(maxFrameBytes);
        this.outbox = new Outbox(outboxBytes);
        this.connectedAtNanos = nowNanos;
        this.lastInputNanos = nowNanos;
    }

    /** How others see this client: its nickname, or its address until it has one. */
    String name() {
        return nick != null ? nick : peer;
    }

    String describe() {
        return "worker=" + clientId + " pid=" + pid + " peer=" + peer;
    }
}
