package io.forkcast.worker.loop;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.DeliverRendered;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.hub.HubListener;
import io.forkcast.worker.hub.HubSession;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
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
 *                    v                                      v slow, idle, gave up (stalled)   |
 *                  closing: client no longer read, output drains for 1.5 s (slow: none) <---+
 *                    v
 *                  exit 0 (sockets closed, event=exit)
 * </pre>
 */
public final class WorkerLoop implements HubListener {
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
    /** /login and the login prompts; made with {@link #front} and {@link #hub}. */
    private final LoginFlow login;
    /** A broker client's login, sends and acks; inert for other kinds. Made with {@link #front} and {@link #hub}. */
    private final BrokerFlow broker;
    /** A WebSocket client's opening and tagged sends; inert for other kinds. Made like {@link #broker}. */
    private final WebSocketFlow webSocket;
    /** An MQTT client's packets to the supervisor; inert for other kinds. Made like {@link #broker}. */
    private final MqttFlow mqtt;
    /** The chat's lines and commands, whatever the client kind. */
    private final ChatFlow chat;
    /** The front door's own wait, from its last {@link FrontDoor#tick}; 0 for none. */
    private long frontWaitMillis;
    /** One read from the client; reused every read. While {@link #holding}, the bytes not yet fed, ready to get. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);

    /** Opened by {@link #run}; the hub session registers its links with it too. */
    private Selector selector;

    private SelectionKey clientKey;
    /** The supervisor's last limits; null until the Welcome, and until then the client is not read. */
    private Limits limits;
    /** Made with the first limits, reconfigured by later ones. */
    private FloodGate flood;
    /** Set once the output is shut while the client's close is awaited (an MQTT DISCONNECT of ours). */
    private boolean outputShut;
    /** Set once the session is ending: no more input is read, output drains until {@link #closeDeadline}. */
    private boolean closing;
    /** The feed stopped with the hub's backlog full and bytes left in {@link #readBuffer}; fed once it has room. */
    private boolean holding;
    /** How often the client was held: the first time is logged, the count goes in the exit line. */
    private long holds;

    private long closeDeadline;
    /** Why the session ended, for the exit line. */
    private String closeCause;
    /** idle_timeout: a client silent this long is disconnected; 0 for never. Fixed. */
    private final long idleTimeoutNanos;
    /** When the client last sent data, or was welcomed. */
    private final IdleClock heard = new IdleClock();
    /** flood_bytes_per_second: every byte read is charged here; fixed. */
    private final ByteRate bytes;
    /** Until when the client is not read because it overdrew {@link #bytes}; 0 when it is read. */
    private long readPausedUntilNanos;
    /** Set at the first pause, which is logged; later ones are not. */
    private boolean throttled;

    /**
     * The limits a worker is started with (flags from the supervisor's config), as opposed to the live ones of
     * {@link Limits}: {@code idleTimeout} zero is for ever, {@code floodBytesPerSecond} 0 is no byte limit.
     */
    public record Options(Duration idleTimeout, long floodBytesPerSecond, long floodBytesBurst) {}

    /**
     * @param peer the client's address as {@code ip:port}
     * @param frontDoors makes the client kind's front door, rendering into the given output
     * @param hubSession makes the hub session, given this loop as its listener and the front door's kind
     * @param options the limits given on the command line
     */
    public WorkerLoop(
            SocketChannel client,
            String peer,
            Function<ClientOutput, FrontDoor> frontDoors,
            Function<HubListener, HubSession> hubSession,
            Options options) {
        this.client = client;
        this.peer = peer;
        this.idleTimeoutNanos = options.idleTimeout().toNanos();
        this.bytes = new ByteRate(options.floodBytesPerSecond(), options.floodBytesBurst(), System.nanoTime());
        this.log = EventLog.of("role=worker pid=" + pid);
        this.front = frontDoors.apply(out);
        this.hub = hubSession.apply(this);
        this.login = new LoginFlow(front, hub);
        this.broker = new BrokerFlow(front, hub, this::backlogFull, () -> endSession(null, "quit", true));
        this.webSocket = new WebSocketFlow(front, hub, this::backlogFull, () -> endSession(null, "refused", true));
        this.mqtt = new MqttFlow(front, hub, this::backlogFull);
        this.chat = new ChatFlow(front, hub, this::backlogFull, () -> endSession("bye", "quit", true));
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
            if (!closing && limits != null) {
                frontWaitMillis = front.tick(this::onIntent);
            }
            // Everything queued in the last turn (or the Hello2) goes out before the loop waits again.
            flushAll();
            if (!closing && hub.welcomeOverdue()) {
                return 3;
            }
            long now = System.nanoTime();
            // A WebSocket close we began waits (within the grace) for the client's close before the socket closes.
            if (closing && ((out.isEmpty() && !front.awaitingCloseReply()) || now > closeDeadline)) {
                break;
            }
            if (!closing && heard.silentFor(now, limits != null) >= idleTimeoutNanos && idleTimeoutNanos > 0) {
                log.info("event=client_idle peer=" + peer + " worker=" + hub.clientId() + " idle_ms="
                        + TimeUnit.NANOSECONDS.toMillis(heard.silentFor(now, limits != null)));
                endSession("idle for too long, disconnecting", "idle", true);
                continue;
            }
            if (!closing && hub.tick()) {
                continue;
            }
            selector.select(closing ? Waits.remainingMillis(closeDeadline, now) : waitMillis(now));
            for (var key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (hub.owns(key) && key.isReadable()) {
                    hub.onReadable();
                } else if (isClient(key) && key.isReadable() && !closing) {
                    onClientReadable();
                } else if (isClient(key) && key.isReadable()) {
                    onClosingReadable();
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

    private boolean readPaused(long now) {
        return readPausedUntilNanos != 0 && now - readPausedUntilNanos < 0;
    }

    /** The hub session's wait (0: none needed), shortened to the idle deadline and the end of a read pause. */
    private long waitMillis(long now) {
        long wait = hub.waitMillis();
        if (idleTimeoutNanos > 0 && limits != null) {
            wait = Waits.earliest(wait, Waits.remainingMillis(heard.lastHeardNanos() + idleTimeoutNanos, now));
        }
        if (readPaused(now)) {
            wait = Waits.earliest(wait, Waits.remainingMillis(readPausedUntilNanos, now));
        }
        return frontWaitMillis > 0 ? Waits.earliest(wait, frontWaitMillis) : wait;
    }

    private void onClientReadable() {
        try {
            readBuffer.clear();
            int n = client.read(readBuffer);
            if (n < 0) {
                endSession(null, "eof", true);
                return;
            }
            long readNanos = System.nanoTime();
            if (n > 0) {
                long waitNanos = bytes.charge(n, readNanos);
                if (waitNanos > 0) {
                    // Stop reading until the debt is paid: the rest waits in the kernel, and TCP slows the sender.
                    readPausedUntilNanos = readNanos + waitNanos;
                    if (!throttled) {
                        throttled = true;
                        log.info("event=client_throttled peer=" + peer + " worker=" + hub.clientId()
                                + " bytes_per_second=" + bytes.bytesPerSecond());
                    }
                }
            }
            readBuffer.flip();
            heard.feedStarts();
            feedClient();
            heard.feedEnds(n, readNanos);
        } catch (IOException e) {
            endSession(null, "reset", true);
        }
    }

    /** While the client's close is awaited: its bytes go to the front door (which drops all but a close). */
    private void onClosingReadable() {
        int n = -1;
        try {
            n = client.read(readBuffer.clear());
        } catch (IOException e) {
            // a reset: as good as the client's close
        }
        if (n < 0) {
            closeDeadline = System.nanoTime() - 1; // the client closed: nothing more to wait for
        } else {
            front.feed(readBuffer.flip(), this::onIntent);
        }
    }

    /** Feeds the front door what {@link #readBuffer} holds; it stops early when the hub's backlog fills. */
    private void feedClient() {
        front.feed(readBuffer, this::onIntent);
        holding = readBuffer.hasRemaining() || front.holdsInput();
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
            boolean awaitingClose = closing && drained && front.awaitingCloseReply();
            if (awaitingClose && front.shutsOutputWhileAwaitingClose() && !outputShut) {
                outputShut = true;
                client.shutdownOutput(); // the client sees the end now; its bytes in flight are still read
            }
            int ops = (readingClient() && !readPaused(System.nanoTime())) || awaitingClose ? SelectionKey.OP_READ : 0;
            front.reading(ops != 0);
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
        heard.fed(intent);
        if (closing) {
            return;
        }
        if (intent instanceof Intent.Hangup h) {
            endSession(null, h.cause(), true); // the client was told already; a flood limit must not lose this
            return;
        }
        if (broker.paced(intent) || mqtt.paced(intent)) {
            // A logged-in program's requests are paced, not dropped: by flood_bytes_per_second (reads pause) and,
            // for sends, by the hub backlog (the client is held) and the receivers' acks. Garbage still counts.
            act(intent);
            if (!hub.hasRoom()) {
                hold();
            }
            return;
        }
        // Every line counts, blank and overlong ones too: none may cost this process more than the limit allows.
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
        // The broker's first: its login is its own, and a server that requires one lets it through.
        if (broker.handles(intent) || mqtt.handles(intent) || webSocket.handles(intent) || login.handles(intent)) {
            return;
        }
        chat.act(intent);
    }

    private void backlogFull() {
        endSession("server unavailable for too long, disconnecting", "hub_backlog", false);
    }

    // ---- From the supervisor, through the hub session (HubListener)

    @Override
    public void welcomed(long clientId, Limits l) {
        heard.heard(System.nanoTime());
        applyLimits(l);
        front.node(hub.node());
        front.greet(peer, pid);
    }

    @Override
    public void reconnecting() {
        front.reply(new Reply.Reconnecting());
    }

    @Override
    public void resumed(Limits l) {
        applyLimits(l);
        front.node(hub.node());
        front.reply(new Reply.Reconnected());
        broker.resumed();
        mqtt.welcomedBack();
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
        if (order instanceof DeliverRendered) {
            front.render(order, hub.clientId()); // a telnet receiver's room line: copied, nothing else to do
        } else if (order instanceof Limits l) {
            applyLimits(l);
        } else if (order instanceof Disconnect d) {
            endSession(d.reason(), "disconnected", false);
        } else {
            front.render(order, hub.clientId());
            login.order(order); // after the order is shown: a refusal's reason comes before the next prompt
            broker.order(order);
            webSocket.order(order);
            mqtt.order(order);
        }
    }
}
