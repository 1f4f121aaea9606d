package io.forkcast.worker.loop;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.hub.HubSession;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The worker's event loop: one selector over its client socket and its hub link. Client bytes go through the
 * {@link FrontDoor} to intents, which pass the flood limit and go to the {@link HubSession}; the hub session's
 * orders go to the front door to render. Owns the end of the session: the output drains for a short grace, a
 * client that does not read is dropped. Single-threaded: everything runs on the thread that calls {@link #run()}.
 *
 * <pre>
 *  run: Hello2 --> waiting for Welcome --welcomed--> serving (client read) <--resumed-- reconnecting
 *                    | no Welcome in 10 s: exit 3       |   |   ^               ---lost-->    |
 *                    | hub lost: closing  backlog full  |   |   | acks made room              |
 *                    |                                  v   |   |                             |
 *                    |           holding (client not read, the rest of its last read kept)    |
 *                    |                                      | quit, eof, Disconnect, flood,   |
 *                    v                                      v slow, gave up (stalled too)     |
 *                  closing: client no longer read, output drains for 1.5 s (slow: none) <---+
 *                    v
 *                  exit 0 (sockets closed, event=exit)
 * </pre>
 */
public final class WorkerLoop implements HubSession.Listener {
    private static final long CLOSE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    private static final int KERNEL_SEND_BUFFER_BYTES = 128 * 1024;

    /** The client's socket; closed at the end of {@link #run}. */
    private final SocketChannel client;
    /** The client's address as {@code ip:port}; fixed. */
    private final String peer;

    private final long pid = ProcessHandle.current().pid();
    private final EventLog log;
    /** What the client has yet to take: the front door renders into it, {@link #flushAll} writes it out. */
    private final ClientOutput out = new ClientOutput();
    /** The client kind's wire format; made with {@link #out}. */
    private final FrontDoor front;
    /** The supervisor side; made here with this loop as its listener. */
    private final HubSession hub;
    /** One read from the client; reused every read. While {@link #holding}, the bytes not yet fed, ready to get. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);

    /** Opened by {@link #run}; the hub session registers its links with it too. */
    private Selector selector;

    private SelectionKey clientKey;
    /** The supervisor's last limits; null until the Welcome, and until then the client is not read. */
    private Limits limits;
    /** Made with the first limits, reconfigured by later ones. */
    private FloodGate flood;
    /** Set once the session is ending: no more input is read, output drains until {@link #closeDeadline}. */
    private boolean closing;
    /** The feed stopped with the hub's backlog full and bytes left in {@link #readBuffer}; fed once it has room. */
    private boolean holding;
    /** How often the client was held: the first time is logged, the count goes in the exit line. */
    private long holds;

    private long closeDeadline;
    /** Why the session ended, for the exit line. */
    private String closeCause;

    /**
     * @param peer the client's address as {@code ip:port}
     * @param frontDoors makes the client kind's front door, rendering into the given output
     * @param hubSession makes the hub session, given this loop as its listener and the front door's kind
     */
    public WorkerLoop(
            SocketChannel client,
            String peer,
            Function<ClientOutput, FrontDoor> frontDoors,
            Function<HubSession.Listener, HubSession> hubSession) {
        this.client = client;
        this.peer = peer;
        this.log = EventLog.of("role=worker pid=" + pid);
        this.front = frontDoors.apply(out);
        this.hub = hubSession.apply(this);
    }

    /** Runs the session to its end; returns the process exit code. */
    public int run() throws IOException {
        selector = Selector.open();
        client.configureBlocking(false);
        // A fixed kernel send buffer: what a client has not read is bounded by our own buffer (the limit that is
        // configured and enforced) plus this, instead of by the kernel's autotuning, which grows to megabytes.
        client.setOption(StandardSocketOptions.SO_SNDBUF, KERNEL_SEND_BUFFER_BYTES);
        clientKey = client.register(selector, 0);
        hub.start(selector);
        while (true) {
            if (holding && !closing && hub.hasRoom()) {
                feedClient(); // acks made room: the rest of the last read first, then the socket again
            }
            // Everything queued in the last turn (or the Hello2) goes out before the loop waits again.
            flushAll();
            if (!closing && hub.welcomeOverdue()) {
                return 3;
            }
            long now = System.nanoTime();
            if (closing && (out.isEmpty() || now > closeDeadline)) {
                break;
            }
            if (!closing && hub.tick()) {
                continue;
            }
            selector.select(closing ? remainingMillis(closeDeadline, now) : hub.waitMillis());
            for (var key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (hub.owns(key) && key.isReadable()) {
                    hub.onReadable();
                } else if (isClient(key) && key.isReadable() && !closing) {
                    onClientReadable();
                }
            }
            selector.selectedKeys().clear();
        }
        hub.close();
        client.close();
        log.info("event=exit peer=" + peer + " worker=" + hub.clientId() + " cause=" + closeCause + " held=" + holds);
        return 0;
    }

    @SuppressWarnings("ReferenceEquality") // a selection key stands for one registration: identity is its equality
    private boolean isClient(SelectionKey key) {
        return key == clientKey;
    }

    private static long remainingMillis(long deadline, long now) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now));
    }

    private void onClientReadable() {
        try {
            readBuffer.clear();
            int n = client.read(readBuffer);
            if (n < 0) {
                endSession(null, "eof", true);
                return;
            }
            readBuffer.flip();
            feedClient();
        } catch (IOException e) {
            endSession(null, "reset", true);
        }
    }

    /** Feeds the front door what {@link #readBuffer} holds; it stops early when the hub's backlog fills. */
    private void feedClient() {
        front.feed(readBuffer, this::onIntent);
        holding = readBuffer.hasRemaining();
    }

    /** The client is read only once admitted, while the session lasts and while the hub takes its lines. */
    private boolean readingClient() {
        return !closing && limits != null && !holding && hub.hasRoom();
    }

    private void flushAll() {
        hub.flush();
        if (!closing && limits != null && out.backlogBytes() > limits.clientBufferBytes()) {
            log.warn("event=client_slow peer=" + peer + " worker=" + hub.clientId() + " queued=" + out.backlogBytes()
                    + " limit=" + limits.clientBufferBytes());
            closing = true;
            closeCause = "slow";
            closeDeadline = System.nanoTime();
            hub.stop();
            hub.tellLeft("slow");
            return;
        }
        try {
            boolean drained = out.flush(client);
            int ops = readingClient() ? SelectionKey.OP_READ : 0;
            clientKey.interestOps(drained ? ops : ops | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            if (!closing) {
                endSession(null, "reset", true);
            }
            closeDeadline = System.nanoTime();
        }
    }

    /**
     * Ends the session: the front door's goodbye ({@code notice} may be null), the hub told why (if
     * {@code tellHub} and it can be), and a short grace for the output to drain.
     */
    private void endSession(String notice, String cause, boolean tellHub) {
        if (closing) {
            return;
        }
        closing = true;
        closeCause = cause;
        closeDeadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        hub.stop();
        front.goodbye(notice);
        if (tellHub) {
            hub.tellLeft(cause);
        }
    }

    private void applyLimits(Limits l) {
        limits = l;
        front.limits(l);
        if (flood == null) {
            flood = new FloodGate(
                    l.floodLinesPerSecond(), l.floodBurst(), l.floodDropsBeforeDisconnect(), System.nanoTime());
        } else {
            flood.configure(l.floodLinesPerSecond(), l.floodBurst(), l.floodDropsBeforeDisconnect());
        }
    }

    // ---- From the client, through the front door

    private void onIntent(Intent intent) {
        if (closing || intent instanceof Intent.Blank) {
            return;
        }
        switch (flood.admit(System.nanoTime())) {
            case PASS -> {
                act(intent);
                if (!hub.hasRoom()) {
                    hold();
                }
            }
            case DROP_FIRST -> front.reply(new Reply.FloodDropped(flood.linesPerSecond()));
            case DROP -> {}
            case DISCONNECT -> {
                log.warn("event=flood_disconnect peer=" + peer + " worker=" + hub.clientId());
                endSession("disconnected for flooding", "flood", true);
            }
        }
    }

    /** The hub's backlog is full: the client is not read until acks make room, so TCP pushes back on it. */
    private void hold() {
        front.stopFeed();
        if (holds++ == 0) {
            log.info("event=client_held peer=" + peer + " worker=" + hub.clientId() + " reason=backlog_full");
        }
    }

    private void act(Intent intent) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (intent instanceof Intent.Say s) {
            if (!hub.say(s.text())) {
                backlogFull();
            }
        } else if (intent instanceof Intent.Act a) {
            if (!hub.act(a.action())) {
                backlogFull();
            }
        } else if (intent instanceof Intent.Nick n) {
            if (!hub.requestNick(n.nick())) {
                front.reply(new Reply.NotConnected());
            }
        } else if (intent instanceof Intent.Who) {
            if (!hub.requestWho()) {
                front.reply(new Reply.NotConnected());
            }
        } else if (intent instanceof Intent.Quit) {
            endSession("bye", "quit", true);
        } else if (intent instanceof Intent.Help) {
            front.reply(new Reply.Help());
        } else if (intent instanceof Intent.Unknown u) {
            front.reply(new Reply.UnknownCommand(u.command()));
        } else if (intent instanceof Intent.Usage u) {
            front.reply(new Reply.Usage(u.syntax()));
        } else if (intent instanceof Intent.Invalid i) {
            front.reply(new Reply.Invalid(i.problem()));
        } else if (!(intent instanceof Intent.Blank)) {
            throw new IllegalArgumentException(
                    "no action for " + intent.getClass().getName());
        }
    }

    private void backlogFull() {
        endSession("server unavailable for too long, disconnecting", "hub_backlog", false);
    }

    // ---- From the supervisor, through the hub session (HubSession.Listener)

    @Override
    public void welcomed(long clientId, Limits l) {
        applyLimits(l);
        front.greet(peer, pid);
    }

    @Override
    public void reconnecting() {
        front.reply(new Reply.Reconnecting());
    }

    @Override
    public void resumed(Limits l) {
        applyLimits(l);
        front.reply(new Reply.Reconnected());
    }

    @Override
    public void gaveUp(String cause) {
        if ("hub_backlog".equals(cause)) {
            backlogFull(); // linked, but no ack for the stall timeout
        } else {
            endSession("server went away", cause, false);
        }
    }

    @Override
    public void order(SupervisorMessage order) {
        if (order instanceof Limits l) {
            applyLimits(l);
        } else if (order instanceof Disconnect d) {
            endSession(d.reason(), "disconnected", false);
        } else {
            front.render(order, hub.clientId());
        }
    }
}
