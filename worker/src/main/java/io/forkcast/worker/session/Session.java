package io.forkcast.worker.session;

import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.text.Nicknames;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Ack;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.Disconnect;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.Limits;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.Welcome;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.hub.HubLink;
import io.forkcast.worker.telnet.LineDiscipline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One client's session: the worker's event loop over its client socket and its hub link, the chat commands,
 * and the rendering of what others say. Single-threaded: everything runs on the thread that calls
 * {@link #run()}.
 */
public final class Session implements LineDiscipline.Sink {
    private static final long WELCOME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CLOSE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final int READ_BUFFER_BYTES = 16 * 1024;
    private static final int KERNEL_SEND_BUFFER_BYTES = 128 * 1024;

    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Lines kept until the supervisor acknowledges them; at the flood limit's defaults, minutes of typing. */
    private static final int MAX_UNACKED_LINES = 4096;

    /** Where the hub link stands. */
    private enum HubState {
        /** Hello sent, Welcome awaited; the client is not read yet. */
        JOINING,
        LINKED,
        /** The supervisor went away; retrying with backoff, the client's lines wait in {@link #unacked}. */
        RECONNECTING,
        /** Reconnected and Resume sent; Welcome awaited. */
        RESUMING
    }

    private final SocketChannel client;
    private final Path hubPath;
    private final int maxFrameBytes;
    private final long reconnectTimeoutNanos;
    private final String peer;
    private final long pid = ProcessHandle.current().pid();
    private final EventLog log;
    private final ClientOutput out = new ClientOutput();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);

    private final ArrayDeque<WorkerMessage> unacked = new ArrayDeque<>();
    private final Map<Long, Long> lastSeqFrom = new HashMap<>();
    private HubLink hub;
    private HubState hubState = HubState.JOINING;
    private long reconnectDeadline;
    private long nextAttemptNanos;
    private long retryNanos;
    private Selector selector;
    private SelectionKey clientKey;
    private SelectionKey hubKey;
    private LineDiscipline discipline;
    private FloodGate flood;
    private Limits limits;
    private long clientId;
    private String nick;
    private long seq;
    /** Set once the session is ending: no more input is read, output drains until this deadline. */
    private long closeDeadline;
    private boolean closing;
    private String closeCause;

    /**
     * @param reconnectTimeout how long to keep reconnecting when the supervisor goes away; zero: give up at once
     */
    public Session(SocketChannel client, HubLink hub, Path hubPath, int maxFrameBytes, Duration reconnectTimeout)
            throws IOException {
        this.client = client;
        this.hub = hub;
        this.hubPath = hubPath;
        this.maxFrameBytes = maxFrameBytes;
        this.reconnectTimeoutNanos = reconnectTimeout.toNanos();
        this.peer = format(client.getRemoteAddress());
        this.log = EventLog.of("role=worker pid=" + pid);
    }

    public static String format(java.net.SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** Runs the session to its end; returns the process exit code. */
    public int run() throws IOException {
        selector = Selector.open();
        client.configureBlocking(false);
        // A fixed kernel send buffer: what a client has not read is bounded by our own buffer (the limit that is
        // configured and enforced) plus this, instead of by the kernel's autotuning, which grows to megabytes.
        client.setOption(java.net.StandardSocketOptions.SO_SNDBUF, KERNEL_SEND_BUFFER_BYTES);
        clientKey = client.register(selector, 0);
        hubKey = hub.channel().register(selector, SelectionKey.OP_READ);
        send(new WorkerMessage.Hello(pid, peer));
        long welcomeDeadline = System.nanoTime() + WELCOME_TIMEOUT_NANOS;
        while (true) {
            // Everything queued in the last turn (or the Hello) goes out before the loop waits again.
            flushAll();
            long now = System.nanoTime();
            if (hubState == HubState.JOINING && !closing && now > welcomeDeadline) {
                log.error("event=no_welcome peer=" + peer);
                return 3;
            }
            if (closing && (out.isEmpty() || now > closeDeadline)) {
                break;
            }
            if (hubState == HubState.RECONNECTING && !closing) {
                if (now > reconnectDeadline) {
                    log.warn("event=reconnect_gave_up worker=" + clientId + " peer=" + peer + " unsent=" + unacked.size());
                    endSession("server went away", "hub_gone", false);
                    continue;
                }
                if (now >= nextAttemptNanos) {
                    tryReconnect(now);
                    continue;
                }
            }
            selector.select(waitMillis(now));
            for (var key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (key == hubKey && key.isReadable()) {
                    onHubReadable();
                } else if (key == clientKey && key.isReadable() && !closing) {
                    onClientReadable();
                }
            }
            selector.selectedKeys().clear();
        }
        if (hub != null) {
            hub.close();
        }
        client.close();
        log.info("event=exit peer=" + peer + " worker=" + clientId + " cause=" + closeCause);
        return 0;
    }

    /** How long the loop may wait for I/O: until the next deadline of its state, or for ever (0). */
    private long waitMillis(long now) {
        if (closing) {
            return remainingMillis(closeDeadline, now);
        }
        return switch (hubState) {
            case JOINING, RESUMING -> 1000;
            case RECONNECTING -> remainingMillis(Math.min(nextAttemptNanos, reconnectDeadline), now);
            case LINKED -> 0;
        };
    }

    private static long remainingMillis(long deadline, long now) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now));
    }

    private void onHubReadable() {
        try {
            if (!hub.read(this::onOrder)) {
                onHubLost("hub_closed");
            }
        } catch (ProtocolException e) {
            log.error("event=bad_frame reason=" + e.reason() + " head=" + e.headHex());
            onHubLost("hub_corrupt");
        } catch (IOException e) {
            onHubLost("hub_error");
        }
    }

    /**
     * The supervisor is gone. A worker that has joined keeps its client and reconnects (lines typed meanwhile
     * wait, in order); one that never joined, or may not reconnect, ends the session.
     */
    private void onHubLost(String cause) {
        if (hubKey != null) {
            hubKey.cancel();
            hubKey = null;
        }
        if (hub != null) {
            hub.close();
            hub = null;
        }
        if (closing) {
            return;
        }
        if (hubState == HubState.JOINING || reconnectTimeoutNanos <= 0) {
            endSession("server went away", cause, false);
            return;
        }
        long now = System.nanoTime();
        if (hubState == HubState.LINKED) {
            out.line("*** reconnecting to server...");
            log.warn("event=hub_lost worker=" + clientId + " peer=" + peer + " cause=" + cause);
            reconnectDeadline = now + reconnectTimeoutNanos;
            retryNanos = FIRST_RETRY_NANOS;
        }
        hubState = HubState.RECONNECTING;
        nextAttemptNanos = now + retryNanos;
        retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
    }

    private void tryReconnect(long now) {
        try {
            hub = HubLink.connect(hubPath, maxFrameBytes);
            hubKey = hub.channel().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            hub = null;
            nextAttemptNanos = now + retryNanos;
            retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
            return;
        }
        hubState = HubState.RESUMING;
        send(new WorkerMessage.Resume(pid, peer, clientId, nick));
        for (var line : unacked) {
            send(line);
        }
        log.info("event=resuming worker=" + clientId + " peer=" + peer + " resent=" + unacked.size());
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
            discipline.feed(readBuffer, this);
        } catch (IOException e) {
            endSession(null, "reset", true);
        }
    }

    private void flushAll() {
        if (hub != null) {
            try {
                hub.flush();
                int ops = hub.queuedBytes() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
                hubKey.interestOps(ops);
            } catch (IOException e) {
                onHubLost("hub_error");
            }
        }
        if (!closing && limits != null && out.backlogBytes() > limits.clientBufferBytes()) {
            log.warn("event=client_slow peer=" + peer + " worker=" + clientId + " queued=" + out.backlogBytes()
                    + " limit=" + limits.clientBufferBytes());
            closing = true;
            closeCause = "slow";
            closeDeadline = System.nanoTime();
            tellHub(new WorkerMessage.ClientLeft("slow"));
            return;
        }
        try {
            boolean drained = out.flush(client);
            int ops = closing || limits == null ? 0 : SelectionKey.OP_READ;
            clientKey.interestOps(drained ? ops : ops | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            if (!closing) {
                endSession(null, "reset", true);
            }
            closeDeadline = System.nanoTime();
        }
    }

    /**
     * Ends the session: tells the client {@code notice} (if any), the hub why (if it can), and lets the output
     * drain for a short grace period.
     */
    private void endSession(String notice, String cause, boolean tellHub) {
        if (closing) {
            return;
        }
        closing = true;
        closeCause = cause;
        closeDeadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        if (notice != null) {
            out.line("*** " + notice);
        }
        if (tellHub) {
            tellHub(new WorkerMessage.ClientLeft(cause));
        }
    }

    private void tellHub(WorkerMessage message) {
        if (hub == null) {
            return;
        }
        try {
            send(message);
            hub.flush();
        } catch (IOException | RuntimeException e) {
            // Leaving anyway; the supervisor learns of it when the link closes.
        }
    }

    private void send(WorkerMessage message) {
        if (hub == null) {
            return;
        }
        try {
            hub.send(message);
        } catch (ProtocolException e) {
            // Only an oversized frame can fail here; lines are bounded well below the frame limit.
            log.error("event=encode_failed reason=" + e.reason() + " message=" + message.getClass().getSimpleName());
        }
    }

    /** Sends a client line, keeping it until the supervisor acknowledges it, so a supervisor restart loses none. */
    private void sendLine(WorkerMessage line) {
        if (unacked.size() >= MAX_UNACKED_LINES) {
            log.warn("event=backlog_full worker=" + clientId + " peer=" + peer + " lines=" + unacked.size());
            endSession("server unavailable for too long, disconnecting", "hub_backlog", false);
            return;
        }
        unacked.add(line);
        send(line);
    }

    private static long seqOf(WorkerMessage line) {
        return switch (line) {
            case WorkerMessage.ClientSaid s -> s.seq();
            case WorkerMessage.ClientActed a -> a.seq();
            default -> 0;
        };
    }

    /** True the first time a sender's line number is seen; a line resent after a restart is shown once. */
    private boolean firstSight(long fromId, long seq) {
        Long last = lastSeqFrom.get(fromId);
        if (last != null && seq <= last) {
            return false;
        }
        lastSeqFrom.put(fromId, seq);
        return true;
    }

    // ---- From the supervisor ----

    private void onOrder(Message message) {
        if (!(message instanceof SupervisorMessage order)) {
            return;
        }
        switch (order) {
            case Welcome w -> onWelcome(w);
            case Limits l -> applyLimits(l);
            case Say s -> {
                if (firstSight(s.fromId(), s.seq())) {
                    out.line("[" + s.fromName() + "] (" + s.fromPid() + "): " + s.text());
                }
            }
            case Act a -> {
                if (firstSight(a.fromId(), a.seq())) {
                    out.line("* " + a.fromName() + " (" + a.fromPid() + ") " + a.action());
                }
            }
            case Joined j -> out.line("*** " + j.name() + " (" + j.pid() + ") joined");
            case Left l -> {
                lastSeqFrom.remove(l.id());
                out.line("*** " + l.name() + " (" + l.pid() + ") left");
            }
            case Ack a -> {
                while (!unacked.isEmpty() && seqOf(unacked.peek()) <= a.seq()) {
                    unacked.poll();
                }
            }
            case Renamed r -> out.line("*** " + r.oldName() + " (" + r.pid() + ") is now known as " + r.newName());
            case Notice n -> out.line("*** " + n.text());
            case NickAccepted n -> {
                nick = n.nick();
                out.line("*** you are now known as " + n.nick());
            }
            case NickRefused n -> out.line("*** nickname " + n.nick() + " refused: " + n.reason());
            case WhoList w -> renderWho(w);
            case Disconnect d -> endSession(d.reason(), "disconnected", false);
            case SupervisorMessage.Assign a -> log.warn("event=unexpected_assign worker=" + clientId);
            case SupervisorMessage.Welcome2 w -> onWelcome(new Welcome(w.clientId(), w.limits()));
            case SupervisorMessage.Deliver d -> {
                if (firstSight(d.from().clientId(), d.seq())) {
                    out.line(d.style() == SupervisorMessage.Style.ACT
                            ? "* " + d.from().name() + " (" + d.from().pid() + ") " + d.text()
                            : "[" + d.from().name() + "] (" + d.from().pid() + "): " + d.text());
                }
            }
        }
    }

    private void onWelcome(Welcome welcome) {
        applyLimits(welcome.limits());
        if (hubState == HubState.RESUMING) {
            hubState = HubState.LINKED;
            out.line("*** reconnected");
            log.info("event=resumed worker=" + clientId + " peer=" + peer);
            return;
        }
        clientId = welcome.clientId();
        hubState = HubState.LINKED;
        out.line("Welcome to forkcast, you are " + peer + " (pid " + pid + "). Type /help for commands.");
        log.info("event=welcome worker=" + clientId + " peer=" + peer);
    }

    private void applyLimits(Limits l) {
        limits = l;
        if (discipline == null) {
            discipline = new LineDiscipline(l.maxLineBytes());
            flood = new FloodGate(l.floodLinesPerSecond(), l.floodBurst(), l.floodDropsBeforeDisconnect(), System.nanoTime());
        } else {
            discipline.setMaxLineBytes(l.maxLineBytes());
            flood.configure(l.floodLinesPerSecond(), l.floodBurst(), l.floodDropsBeforeDisconnect());
        }
    }

    private void renderWho(WhoList who) {
        var entries = who.entries();
        out.line("*** " + entries.length + (entries.length == 1 ? " person" : " people") + " connected:");
        for (var e : entries) {
            String you = e.id() == clientId ? " (you)" : "";
            String name = e.name().equals(e.peer()) ? e.peer() : e.name() + " " + e.peer();
            out.line("***   " + name + " pid " + e.pid() + you);
        }
    }

    // ---- From the client (LineDiscipline.Sink) ----

    @Override
    public void line(String text) {
        if (closing || text.isBlank()) {
            return;
        }
        switch (flood.admit(System.nanoTime())) {
            case PASS -> onLine(text);
            case DROP_FIRST -> out.line("*** flood limit: lines dropped (at most " + flood.linesPerSecond()
                    + " lines/s)");
            case DROP -> { }
            case DISCONNECT -> {
                log.warn("event=flood_disconnect peer=" + peer + " worker=" + clientId);
                endSession("disconnected for flooding", "flood", true);
            }
        }
    }

    @Override
    public void reply(byte[] telnetBytes) {
        out.append(telnetBytes);
    }

    @Override
    public void lineTooLong(int maxLineBytes) {
        out.line("*** line too long (max " + maxLineBytes + " bytes)");
    }

    private void onLine(String text) {
        if (!text.startsWith("/") || text.startsWith("//")) {
            sendLine(new WorkerMessage.ClientSaid(++seq, text.startsWith("//") ? text.substring(1) : text));
            return;
        }
        int space = text.indexOf(' ');
        String command = (space < 0 ? text : text.substring(0, space)).toLowerCase(java.util.Locale.ROOT);
        String argument = space < 0 ? "" : text.substring(space + 1).strip();
        switch (command) {
            case "/nick" -> {
                String problem = Nicknames.problem(argument);
                if (problem != null) {
                    out.line("*** " + problem);
                } else if (hub == null) {
                    out.line("*** not connected to the server right now, try again in a moment");
                } else {
                    send(new WorkerMessage.NickRequested(++seq, argument));
                }
            }
            case "/who" -> {
                if (hub == null) {
                    out.line("*** not connected to the server right now, try again in a moment");
                } else {
                    send(new WorkerMessage.WhoRequested());
                }
            }
            case "/me" -> {
                if (argument.isEmpty()) {
                    out.line("*** usage: /me ACTION");
                } else {
                    sendLine(new WorkerMessage.ClientActed(++seq, argument));
                }
            }
            case "/help" -> help();
            case "/quit" -> {
                out.line("*** bye");
                endSession(null, "quit", true);
            }
            default -> out.line("*** unknown command " + command + ", try /help");
        }
    }

    private void help() {
        out.line("*** commands:");
        out.line("***   /nick NAME   take a nickname (1-32 characters, no spaces)");
        out.line("***   /who         list everyone connected");
        out.line("***   /me ACTION   say what you are doing");
        out.line("***   /help        this list");
        out.line("***   /quit        leave");
        out.line("*** anything else you type goes to everyone; start a line with // to send one beginning with /");
    }
}
