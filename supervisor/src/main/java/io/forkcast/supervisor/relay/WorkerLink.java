package io.forkcast.supervisor.relay;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.supervisor.config.Config;
import io.forkcast.supervisor.spawn.WorkerProcess;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One worker as the relay sees it: its hub connection, decoder and outbox, its process, and the client it
 * serves. Confined to the relay thread.
 */
final class WorkerLink {
    final long pid;
    final SocketChannel channel;
    final FrameDecoder decoder;
    final Outbox outbox;
    final WorkerProcess process;
    /** Started by an earlier supervisor and reconnected to this one: not our child. */
    final boolean adopted;
    final long connectedAtNanos;
    long clientId;
    String peer;
    SelectionKey key;
    /** Started as a spare and not yet handed a client. */
    boolean spare;
    /** A spare that has said Ready and waits in the pool. */
    boolean idle;
    /** Set when the worker's Hello (or Resume) has been accepted. */
    boolean joined;
    /** Set when the link is being dropped: nothing more is relayed to it, the worker is killed at the deadline. */
    boolean closing;
    boolean closed;
    long closeDeadlineNanos;
    /** Set while the link is on the relay's list of links to flush at the end of this turn. */
    boolean dirty;
    String nick;
    String leaveCause;
    long lastSeq;
    long ackedSeq;
    long linesIn;
    long linesOut;
    long lastInputNanos;

    WorkerLink(long clientId, long pid, String peer, SocketChannel channel, WorkerProcess process, boolean adopted,
            Config config, long nowNanos) {
        this.clientId = clientId;
        this.pid = pid;
        this.peer = peer;
        this.channel = channel;
        this.process = process;
        this.adopted = adopted;
        this.decoder = new FrameDecoder(config.maxFrameBytes());
        this.outbox = new Outbox(config.outboxMaxBytes());
        this.connectedAtNanos = nowNanos;
        this.lastInputNanos = nowNanos;
    }

    /** The client this link serves: named when a spare is handed one, or when an adopted worker resumes. */
    void assign(long id, String clientPeer) {
        this.clientId = id;
        this.peer = clientPeer;
    }

    /** How others see this client: its nickname, or its address until it has one. */
    String name() {
        return nick != null ? nick : peer;
    }

    String describe() {
        return "worker=" + clientId + " pid=" + pid + " peer=" + peer + (adopted ? " adopted=yes" : "");
    }
}
