package io.forkcast.supervisor.link;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.loop.KeyHandler;
import io.forkcast.supervisor.spawn.AdoptedWorker;
import io.forkcast.supervisor.spawn.Children;
import io.forkcast.supervisor.spawn.PeerCredentials;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts on hub.sock. Admits a worker this supervisor spawned (known by the pid SO_PEERCRED gives) or, while the
 * adoption window is open, a worker of an earlier supervisor that reconnects (same user, running the worker's main
 * class, held by a pidfd from here on, and it must send Resume first, for an id that supervisor had out). Anything
 * else is refused. Confined to the loop thread.
 */
public final class HubServer implements KeyHandler {
    private static final int OWN_UID = ownUid();

    private final ServerSocketChannel hub;
    private final Selector selector;
    private final Links links;
    private final Children children;
    private final String workerMain;
    private final int maxFrameBytes;
    private final long outboxMaxBytes;
    private final EventLog log;

    public HubServer(
            ServerSocketChannel hub,
            Selector selector,
            Links links,
            Children children,
            String workerMain,
            int maxFrameBytes,
            long outboxMaxBytes,
            EventLog log)
            throws IOException {
        this.hub = hub;
        this.selector = selector;
        this.links = links;
        this.children = children;
        this.workerMain = workerMain;
        this.maxFrameBytes = maxFrameBytes;
        this.outboxMaxBytes = outboxMaxBytes;
        this.log = log;
        hub.configureBlocking(false);
        hub.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    @Override
    public void onReady(SelectionKey key) {
        SocketChannel channel;
        while ((channel = acceptOrNull()) != null) {
            try {
                admit(channel);
            } catch (IOException e) {
                log.warn("event=hub_accept_error error=" + EventLog.quote(e.toString()));
                Links.closeQuietly(channel);
            }
        }
    }

    private void admit(SocketChannel channel) throws IOException {
        var credentials = PeerCredentials.of(channel);
        long now = System.nanoTime();
        var child = children.get(credentials.pid());
        WorkerLink link;
        if (child != null && !child.linked()) {
            children.connected(child);
            link = new WorkerLink(
                    links,
                    child.clientId(),
                    child.pid(),
                    child.peer(),
                    channel,
                    child,
                    false,
                    child.spare() ? LinkState.SPARE_STARTING : LinkState.JOINING,
                    maxFrameBytes,
                    outboxMaxBytes,
                    now);
        } else {
            String refusal = child != null ? "already_linked" : credentials.uid() != OWN_UID ? "not_a_worker" : null;
            var adoptee = refusal == null ? AdoptedWorker.open(credentials.pid(), workerMain) : null;
            if (refusal == null && adoptee == null) {
                refusal = "not_a_worker";
            } else if (adoptee != null && !links.adoptionOpen(now)) {
                // A worker, but no longer one this supervisor may take: its adoption window is closed.
                adoptee.release();
                adoptee = null;
                refusal = "adoption_closed";
            }
            if (adoptee == null) {
                links.mutableStats().hubRefused++;
                log.warn("event=hub_refused pid=" + credentials.pid() + " uid=" + credentials.uid() + " reason="
                        + refusal);
                channel.close();
                return;
            }
            link = new WorkerLink(
                    links,
                    0,
                    credentials.pid(),
                    "?",
                    channel,
                    adoptee,
                    true,
                    LinkState.ADOPTING,
                    maxFrameBytes,
                    outboxMaxBytes,
                    now);
        }
        channel.configureBlocking(false);
        link.key = channel.register(selector, SelectionKey.OP_READ, link);
        links.register(link);
    }

    private SocketChannel acceptOrNull() {
        try {
            return hub.accept();
        } catch (IOException e) {
            // EMFILE and friends: log, and let the next select try again.
            log.error("event=accept_failed error=" + EventLog.quote(e.toString()));
            return null;
        }
    }

    private static int ownUid() {
        try {
            return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
