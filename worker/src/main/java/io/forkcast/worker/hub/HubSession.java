package io.forkcast.worker.hub;

import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.DeliverRendered;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.Welcome2;
import io.forkcast.protocol.message.WorkerMessage;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One client's session with the supervisor, whatever the client's kind: Hello2 and Welcome, Resume4 after the
 * supervisor went away, reconnecting with backoff, the client's lines kept until acknowledged and resent, and the
 * duplicate filter for other clients' lines. It reports to a {@link HubListener} and knows nothing of the client's
 * wire format. Confined to the worker's loop thread.
 *
 * <pre>
 *          Hello2              Welcome / Welcome2
 *  start -------> JOINING ----------------------------> LINKED <----------------------+
 *                   |  link lost: gaveUp                  |                            | Welcome / Welcome2:
 *                   |  no Welcome in 10 s: overdue        | link lost: reconnecting    | resumed
 *                   v                                     v                            |
 *                 (end)      refused: retry  +-----> RECONNECTING --connected----> RESUMING
 *                            0.1 s doubling  |         |    ^     Resume4 + the       |
 *                            to 2 s          +---------+    |     unacked lines       |
 *                                                           +------ link lost --------+
 *                            hub_reconnect_timeout passed while RECONNECTING: gaveUp, (end)
 *
 * While the backlog of unacknowledged lines is full ({@link #hasRoom} false) the loop stops reading its client,
 * so that TCP slows a fast sender down; acks make room again. LINKED with the backlog full and no ack for
 * hub_reconnect_timeout (10 s if that is zero): the supervisor is as good as gone, gaveUp("hub_backlog"), (end).
 * </pre>
 */
public final class HubSession {
    private static final long WELCOME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Who this worker says it is in Hello2 and Resume4. */
    public record Identity(long pid, String peer, String kind) {}

    /** Opens a new link to the hub, for a reconnect. */
    @FunctionalInterface
    public interface Connector {
        HubLink connect() throws IOException;
    }

    private enum State {
        /** Hello2 sent, Welcome awaited; the client is not read yet. */
        JOINING,
        LINKED,
        /** The supervisor went away; retrying with backoff, the client's lines wait in {@link #unacked}. */
        RECONNECTING,
        /** Reconnected and Resume4 sent; Welcome awaited. */
        RESUMING
    }

    /** Our pid, the client's address and kind; the kind changes once at most ({@link #becomes}). */
    private Identity identity;
    /** Opens a fresh link when reconnecting; fixed. */
    private final Connector connector;
    /** How long to keep reconnecting once the link is lost; zero gives up at once. Fixed. */
    private final long reconnectTimeoutNanos;
    /** The time, in nanoseconds ({@code System::nanoTime} outside tests); fixed. */
    private final LongSupplier clock;

    private final EventLog log;
    private final HubListener listener;
    /** The client's lines not yet acknowledged: added by say/act/privately, removed by Ack, resent on resume. */
    private final Backlog unacked;
    /** Which orders the client is shown: others' lines once, news of itself unless repeated. */
    private final Inbox inbox = new Inbox();

    /** The live link, null while reconnecting; replaced by each reconnect. */
    private HubLink link;
    /** The link's key in {@link #selector}; null with it. */
    private SelectionKey key;
    /** The loop's selector, given by {@link #start}. */
    private Selector selector;

    private State state = State.JOINING;
    /** Set by {@link #stop} (the session is ending) or on giving up: a lost link stays lost. */
    private boolean stopped;
    /** JOINING gives up after this; set by {@link #start}. */
    private long welcomeDeadline;
    /** When RECONNECTING tries again, and when it gives up. */
    private final Retry retry;
    /** From the first Welcome; kept across resumes. */
    private long clientId;
    /** The client's nickname, user, room and topic as the supervisor last said, brought back in Resume4. */
    private final Standing standing = inbox.standing;
    /** The client's last line or request number; every ClientSaid, ClientActed and NickRequested takes the next. */
    private long seq;
    /** The level agreed by the last Welcome (1) or Welcome2; 0 before any. */
    private int level;
    /** The supervisor's node from the last Welcome2; "" from a level 1 supervisor. */
    private String node = "";
    /** Sent after Resume4, before the unacknowledged lines; set by the client kind. */
    private Supplier<List<WorkerMessage>> resumeExtra = List::of;

    public HubSession(
            Identity identity,
            HubLink link,
            Connector connector,
            Duration reconnectTimeout,
            LongSupplier clock,
            EventLog log,
            HubListener listener) {
        this.identity = identity;
        this.link = link;
        this.connector = connector;
        this.reconnectTimeoutNanos = reconnectTimeout.toNanos();
        // LINKED with the backlog full, no ack for this long means a supervisor that is there but stuck.
        this.retry = new Retry(reconnectTimeoutNanos);
        this.unacked = new Backlog(reconnectTimeoutNanos > 0 ? reconnectTimeoutNanos : WELCOME_TIMEOUT_NANOS);
        this.clock = clock;
        this.log = log;
        this.listener = listener;
    }

    /** Registers the link with the loop's selector and queues Hello2; the loop's next flush sends it. */
    public void start(Selector selector) throws IOException {
        this.selector = selector;
        key = link.channel().register(selector, SelectionKey.OP_READ);
        send(new WorkerMessage.Hello2(ProtocolLevel.CURRENT, identity.pid(), identity.peer(), identity.kind()));
        welcomeDeadline = clock.getAsLong() + WELCOME_TIMEOUT_NANOS;
    }

    /** True for the selection key of the live link. */
    @SuppressWarnings("ReferenceEquality") // a selection key stands for one registration: identity is its equality
    public boolean owns(SelectionKey selected) {
        return selected != null && selected == key;
    }

    /** The link is readable: decodes what came and hands it on. */
    public void onReadable() {
        try {
            if (!link.read(this::onOrder)) {
                lost("hub_closed");
            }
        } catch (ProtocolException e) {
            log.error("event=bad_frame reason=" + e.reason() + " head=" + e.headHex());
            lost("hub_corrupt");
        } catch (IOException e) {
            lost("hub_error");
        }
    }

    /** Writes what is queued for the hub, as far as the socket takes it. */
    public void flush() {
        if (link == null) {
            return;
        }
        try {
            link.flush();
            int ops = link.queuedBytes() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            key.interestOps(ops);
        } catch (IOException e) {
            lost("hub_error");
        }
    }

    /** True, once, when no Welcome came in time (logged): the worker exits. */
    public boolean welcomeOverdue() {
        if (stopped || state != State.JOINING || clock.getAsLong() <= welcomeDeadline) {
            return false;
        }
        log.error("event=no_welcome peer=" + identity.peer());
        stopped = true;
        return true;
    }

    /**
     * While reconnecting: tries to connect when the backoff says so, or gives up when the timeout has passed; while
     * linked with the backlog full, gives up when no ack came for the stall timeout. True when it did any of that
     * (the loop takes another turn before it waits).
     */
    public boolean tick() {
        if (stopped || state == State.JOINING || state == State.RESUMING) {
            return false;
        }
        long now = clock.getAsLong();
        if (state == State.LINKED) {
            return stalled(now);
        }
        if (retry.expired(now)) {
            log.warn("event=reconnect_gave_up worker=" + clientId + " peer=" + identity.peer() + " unsent="
                    + unacked.size());
            stopped = true;
            listener.gaveUp("hub_gone");
            return true;
        }
        if (retry.due(now)) {
            reconnect(now);
            return true;
        }
        return false;
    }

    /** How long the loop may wait for I/O for the hub's sake, in milliseconds; 0: as long as it likes. */
    public long waitMillis() {
        return switch (state) {
            case JOINING, RESUMING -> 1000;
            case RECONNECTING -> retry.waitMillis(clock.getAsLong());
            case LINKED ->
                hasRoom() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(unacked.stallDeadline() - clock.getAsLong()));
        };
    }

    /**
     * True while the backlog of unacknowledged lines has room for another: the loop reads its client only then,
     * so a client that types faster than the supervisor acknowledges is slowed by TCP, not dropped.
     */
    public boolean hasRoom() {
        return unacked.hasRoom();
    }

    /** Sends a line for everyone, kept until acknowledged; false, with nothing sent, when {@link #hasRoom} is not. */
    public boolean say(String text) {
        return keep(new WorkerMessage.ClientSaid(++seq, text));
    }

    /** Sends {@code /me}, kept like {@link #say}. */
    public boolean act(String action) {
        return keep(new WorkerMessage.ClientActed(++seq, action));
    }

    /** Sends a private line to {@code to} (a nickname) or {@code toClient} (a reply's; else null), kept. */
    public boolean privately(String to, Address.Client toClient, String text) {
        return keep(new WorkerMessage.PrivateSaid(++seq, to, toClient, text));
    }

    /** Asks for a broker role (level 5), repeated after each Resume4 from now on; false when there is no link. */
    public boolean brokerAttach(String role, String channel) {
        standing.attaching(role, channel);
        return link != null && request(new WorkerMessage.BrokerAttach(++seq, role, channel));
    }

    /** Asks to open a WebSocket session (level 6), told again after each Resume4; false when there is no link. */
    public boolean open(String key, String secret, Map<String, String> tags) {
        var open = new WorkerMessage.OpenRequested(++seq, key, secret, tags);
        standing.opening(open);
        return request(open);
    }

    /**
     * Sends the message {@code numbered} makes with the next number (a broker send, a tagged line, an MQTT
     * PUBLISH), kept like {@link #say}; false, nothing sent, when {@link #hasRoom} is not.
     */
    public boolean keep(LongFunction<WorkerMessage> numbered) {
        return hasRoom() ? keep(numbered.apply(++seq)) : full(); // a number is taken only for a line kept
    }

    /**
     * Sends the request {@code numbered} makes with the next number (a nick, a join, an MQTT CONNECT), not kept;
     * false, nothing sent and no number taken, when there is no link right now.
     */
    public boolean requestNumbered(LongFunction<WorkerMessage> numbered) {
        return link != null && request(numbered.apply(++seq));
    }

    /** The client turned out to be of {@code kind} (MQTT over WebSocket): Resume4 says so from now on. */
    public void becomes(String kind) {
        identity = new Identity(identity.pid(), identity.peer(), kind);
    }

    /** What a client kind says of itself after Resume4, before its unacknowledged lines (an MQTT session). */
    public void onResume(Supplier<List<WorkerMessage>> extra) {
        resumeExtra = extra;
    }

    /** Sends a fact or request that is not kept (a broker's ack); false, nothing sent, when there is no link. */
    public boolean request(WorkerMessage message) {
        if (link == null) {
            return false;
        }
        send(message);
        return true;
    }

    /** True when the supervisor speaks rooms and private messages (level 3 or later). */
    public boolean speaksRooms() {
        return level >= 3;
    }

    /** True when the supervisor speaks accounts and history (level 4 or later). */
    public boolean speaksAccounts() {
        return level >= 4;
    }

    /** The user the client is logged in as, or null for a guest. */
    public String user() {
        return standing.user();
    }

    /** Who sent the client the last private line, or null. */
    public Sender lastPrivateFrom() {
        return standing.lastPrivateFrom();
    }

    /** Tells the supervisor, at once and if it can, that the client is leaving and why. */
    public void tellLeft(String cause) {
        if (link == null) {
            return;
        }
        try {
            send(new WorkerMessage.ClientLeft(cause));
            link.flush();
        } catch (IOException | RuntimeException e) {
            // Leaving anyway; the supervisor learns of it when the link closes.
        }
    }

    /** The session is ending: from now on a lost link is not restored and nothing is given up. */
    public void stop() {
        stopped = true;
    }

    public void close() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    public long clientId() {
        return clientId;
    }

    /** The protocol level agreed with the current supervisor: 1 after a Welcome, Welcome2's otherwise. */
    public int level() {
        return level;
    }

    /** The current supervisor's node, "" for a level 1 one. */
    public String node() {
        return node;
    }

    int unackedLines() {
        return unacked.size();
    }

    long nextAttemptNanos() {
        return retry.nextAttemptNanos();
    }

    // ---- the link

    /**
     * The supervisor is gone. A session that has joined keeps its client and reconnects (lines typed meanwhile
     * wait, in order); one that never joined, or may not reconnect, gives up.
     */
    private void lost(String cause) {
        if (key != null) {
            key.cancel();
            key = null;
        }
        close();
        if (stopped) {
            return;
        }
        if (state == State.JOINING || reconnectTimeoutNanos <= 0) {
            stopped = true;
            listener.gaveUp(cause);
            return;
        }
        long now = clock.getAsLong();
        if (state == State.LINKED) {
            listener.reconnecting();
            log.warn("event=hub_lost worker=" + clientId + " peer=" + identity.peer() + " cause=" + cause);
            retry.lost(now);
        } else {
            retry.later(now);
        }
        state = State.RECONNECTING;
    }

    /** LINKED with the backlog full: gives up (true) when no ack has come for the stall timeout. */
    private boolean stalled(long now) {
        if (hasRoom() || now <= unacked.stallDeadline()) {
            return false;
        }
        log.warn("event=backlog_stalled worker=" + clientId + " peer=" + identity.peer() + " lines=" + unacked.size()
                + " chars=" + unacked.chars() + " waited_ms="
                + TimeUnit.NANOSECONDS.toMillis(now - unacked.fullSinceNanos()));
        stopped = true;
        listener.gaveUp("hub_backlog");
        return true;
    }

    private void reconnect(long now) {
        try {
            link = connector.connect();
            key = link.channel().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            close();
            retry.later(now);
            return;
        }
        state = State.RESUMING;
        standing.resume(identity, clientId).forEach(this::send);
        resumeExtra.get().forEach(this::send);
        for (var line : unacked) {
            send(line);
        }
        log.info("event=resuming worker=" + clientId + " peer=" + identity.peer() + " resent=" + unacked.size());
    }

    private void send(WorkerMessage message) {
        if (link == null) {
            return;
        }
        try {
            link.send(message);
        } catch (ProtocolException e) {
            // Only an oversized frame can fail here; lines are bounded well below the frame limit.
            log.error("event=encode_failed reason=" + e.reason() + " message="
                    + message.getClass().getSimpleName());
        }
    }

    /** Sends a client line, keeping it until the supervisor acknowledges it, so a supervisor restart loses none. */
    private boolean keep(WorkerMessage line) {
        if (!hasRoom()) {
            return full();
        }
        unacked.add(line, clock.getAsLong());
        send(line);
        return true;
    }

    private boolean full() {
        log.warn("event=backlog_full worker=" + clientId + " peer=" + identity.peer() + " lines=" + unacked.size());
        return false;
    }

    // ---- from the supervisor

    private void onOrder(Message message) {
        // An instanceof chain, not a pattern switch: see the worker's package comment. A telnet receiver's line first.
        if (message instanceof DeliverRendered line) {
            if (inbox.firstSight(line)) {
                listener.order(line);
            }
        } else if (!(message instanceof SupervisorMessage order)) {
            return;
        } else if (order instanceof Ack a) {
            unacked.ackedUpTo(a.seq());
        } else if (order instanceof Welcome2 w) {
            welcomed(ProtocolLevel.agreed(w.level()), w.clientId(), w.node(), w.limits());
        } else if (order instanceof Welcome w) {
            welcomed(ProtocolLevel.BASE, w.clientId(), "", w.limits());
        } else if (order instanceof SupervisorMessage.Assign) {
            log.warn("event=unexpected_assign worker=" + clientId);
        } else {
            if (order instanceof SupervisorMessage.MqttPublished p) {
                unacked.ackedUpTo(p.seq()); // the client is answered now: held, so not resent after a restart
            }
            if (order instanceof Entered e) {
                // Frames keep their order: a join's answer means every line before it was relayed, none is resent.
                unacked.ackedUpTo(e.seq());
            }
            if (inbox.take(order)) {
                listener.order(order);
            }
        }
    }

    private void welcomed(int agreedLevel, long id, String supervisorNode, Limits limits) {
        level = agreedLevel;
        node = supervisorNode == null ? "" : supervisorNode;
        if (state == State.RESUMING) {
            state = State.LINKED;
            unacked.restartStallClock(clock.getAsLong()); // a full backlog, just resent, gets the whole timeout
            listener.resumed(limits);
            log.info("event=resumed worker=" + clientId + " peer=" + identity.peer());
            return;
        }
        clientId = id;
        state = State.LINKED;
        listener.welcomed(clientId, limits);
        log.info("event=welcome worker=" + clientId + " peer=" + identity.peer());
    }
}
