package io.forkcast.worker.front.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.OpenAnswered;
import io.forkcast.protocol.text.Json;
import io.forkcast.protocol.text.SafeText;
import io.forkcast.worker.chat.ChatCommands;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.front.mqtt.MqttFrontDoor;
import io.forkcast.worker.front.telnet.TelnetText;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The WebSocket client kind (RFC 6455, by hand, JDK only) and the HTTP of its port: the chat page's files, or an
 * opening that the supervisor accepts ({@link OpenAnswered}) before the 101 is written. Then text frames in (a
 * chat line or {@code /command} as telnet takes them, or seed 001's JSON request), JSON events out ({@link
 * WsEvents}), or telnet's lines with {@code ?format=text}. Every violation closes the connection with its code
 * and costs only this client. Confined to the worker's loop thread.
 *
 * <pre>
 *  HEAD --GET / page file, or an error--> (HTTP answer) DONE
 *   | a valid opening: Open intent
 *   v
 *  AWAITING --OpenAnswered refused: 403--> DONE      orders meanwhile wait, shown after the 101
 *   | accepted: 101, welcome
 *   v
 *  OPEN --close frame (echoed), violation--> (close frame) DONE
 *   | ping unanswered, goodbye: (close frame)                 ^
 *   v                                                         | the client's close frame (or the loop's grace ends)
 *  CLOSING (DONE, awaiting the client's close; its other frames are read and dropped)
 * </pre>
 *
 * A silent client gets a ping after the ping interval, and is closed with 1001 (going away: the server drops a
 * peer it no longer hears) when another interval passes without a byte from it. Silence counts only while the
 * loop reads the client: held (the hub's backlog full) or paced, its pong may be waiting unread.
 */
public final class WebSocketFrontDoor implements FrontDoor {
    /** The kind's name, as given to {@code --kind} and sent in Hello2 / Resume4. */
    public static final String KIND = "websocket";

    /** Orders that may wait for the 101; past this many, the oldest are dropped (only news comes so early). */
    private static final int MAX_WAITING_EVENTS = 256;

    private enum State {
        HEAD,
        AWAITING,
        OPEN,
        DONE
    }

    private final ClientOutput out;
    private final WebSocketSettings settings;
    /** The time in nanoseconds, for the keep-alive; {@code System::nanoTime} but in tests. */
    private final LongSupplier clock;

    private State state = State.HEAD;
    private final HttpRequestHead head = new HttpRequestHead();
    private final WsFrameDecoder frames;
    /** The decoder's sink: messages become intents for the feed under way. */
    private final Frames sink = new Frames();
    /** The opening under way or done; null while the head is read. */
    private Handshake.Upgrade upgrade;
    /** Renders as JSON events, or (with {@code ?format=text}) {@link #text} renders as telnet lines. */
    private final WsEvents events;

    private final TelnetText text;
    /** Frames rendered before the 101, written after it; dropped with a refusal. */
    private final List<byte[]> waiting = new ArrayList<>();
    /** The longest chat line, from the supervisor's limits. */
    private int maxLineBytes = 4096;
    /** What the next text message answers, or null for an ordinary one; set by {@link #prompt}. */
    private Prompt prompting;
    /** From the greet: the client's address and this worker's pid, for the welcome event. */
    private String peer = "";

    private long pid;
    /** The nickname last accepted, or null: the welcome's name. */
    private String nick;
    /** When the client last sent a byte, and when our ping went (0: none out). */
    private long lastHeardNanos;

    private long pingSentNanos;
    /** False while the loop does not read the client (held, or paced): its silence then is not counted. */
    private boolean reading = true;
    /** Our close awaits the client's (RFC 6455 7.1.1), not after a violation; cleared by its close or a bad frame. */
    private boolean awaitingClose;
    /** Reads frames after our close: only the client's close (or a broken frame) matters. */
    private final AfterClose afterClose = new AfterClose();
    /** MQTT over WebSocket, once an opening asked for it; null for the chat. */
    private MqttTunnel mqtt;

    public WebSocketFrontDoor(ClientOutput out, WebSocketSettings settings, LongSupplier clock) {
        this.out = out;
        this.settings = settings;
        this.clock = clock;
        this.frames = new WsFrameDecoder(settings.maxMessageBytes());
        this.events = new WsEvents(json -> frame(WsFrames.text(json)), System::currentTimeMillis);
        this.text = new TelnetText(line -> frame(WsFrames.text(line)));
    }

    @Override
    public void limits(SupervisorMessage.Limits limits) {
        maxLineBytes = limits.maxLineBytes();
    }

    @Override
    public void node(String node) { // in a who list, someone of another node of a federation is shown with theirs
        events.node(node);
        text.node(node);
    }

    @Override
    public void greet(String peer, long pid) {
        this.peer = peer;
        this.pid = pid; // shown in the welcome, once the opening is accepted
    }

    @Override
    public void feed(ByteBuffer in, Consumer<Intent> intents) {
        lastHeardNanos = clock.getAsLong();
        pingSentNanos = 0;
        if (state == State.HEAD) {
            readHead(in, intents);
        }
        if (state == State.AWAITING && in.hasRemaining()) {
            http(400, "data sent before the opening was answered", "");
            in.position(in.limit());
            intents.accept(new Intent.Hangup("ws_early_data"));
        } else if (state == State.OPEN && mqtt != null && !mqtt.drain(intents)) {
            return; // the MQTT door has not taken the last message yet: the rest waits in the kernel
        } else if (state == State.OPEN) {
            sink.intents = intents;
            try {
                frames.feed(in, sink);
            } finally {
                sink.intents = null;
            }
        } else if (state == State.DONE && awaitingClose) {
            frames.feed(in, afterClose);
            in.position(in.limit());
        } else if (state == State.DONE) {
            in.position(in.limit()); // what comes after our answer is not read
        }
    }

    private void readHead(ByteBuffer in, Consumer<Intent> intents) {
        try {
            if (!head.feed(in)) {
                return;
            }
        } catch (HttpRequestHead.BadRequest e) {
            http(e.status(), e.getMessage(), "");
            intents.accept(new Intent.Hangup("http_" + e.status()));
            return;
        }
        var outcome = Handshake.answer(head, settings);
        if (outcome instanceof Handshake.Upgrade u && u.mqtt()) {
            upgrade = u;
            state = State.OPEN;
            out.append(Handshake.switching(u.accept(), true));
            frames.acceptBinary();
            mqtt = new MqttTunnel(out, settings.maxMessageBytes(), clock, peer, pid);
        } else if (outcome instanceof Handshake.Upgrade u) {
            upgrade = u;
            state = State.AWAITING;
            intents.accept(new Intent.Open(u.key(), u.secret(), u.tags()));
        } else if (outcome instanceof Handshake.Page p) {
            state = State.DONE;
            out.append(ChatPage.response(p.path(), p.host()));
            intents.accept(new Intent.Hangup("http_page"));
        } else if (outcome instanceof Handshake.Refusal r) {
            http(r.status(), r.reason(), r.headers());
            intents.accept(new Intent.Hangup("http_" + r.status()));
        }
    }

    @Override
    public void stopFeed() {
        frames.stop();
        if (mqtt != null) {
            mqtt.door().stopFeed();
        }
    }

    @Override
    public boolean holdsInput() {
        return mqtt != null && mqtt.holds();
    }

    /** The MQTT door of MQTT over WebSocket; null for the chat, or before the opening. */
    public MqttFrontDoor mqtt() {
        return mqtt == null ? null : mqtt.door();
    }

    @Override
    public void reading(boolean reading) {
        this.reading = reading;
        if (mqtt != null) {
            mqtt.door().reading(reading);
        }
    }

    @Override
    public long tick(Consumer<Intent> intents) {
        long interval = settings.pingInterval().toNanos();
        long mqttWait = mqtt != null && state == State.OPEN ? mqtt.door().tick(intents) : 0;
        if (state != State.OPEN || interval <= 0) {
            return mqttWait;
        }
        long now = clock.getAsLong();
        if (!reading) {
            // A pong may be waiting unread: the client's silence counts again from when it is read again.
            lastHeardNanos = now;
            pingSentNanos = 0;
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(interval));
        }
        if (pingSentNanos == 0 && now - lastHeardNanos >= interval) {
            pingSentNanos = now;
            out.append(WsFrames.ping(new byte[0]));
        } else if (pingSentNanos != 0 && now - pingSentNanos >= interval) {
            close(WsFrameDecoder.GOING_AWAY, "no answer to ping", true);
            intents.accept(new Intent.Hangup("ping_timeout"));
            return 0;
        }
        long deadline = pingSentNanos == 0 ? lastHeardNanos + interval : pingSentNanos + interval;
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1);
        return mqttWait > 0 ? Math.min(wait, mqttWait) : wait;
    }

    @Override
    public boolean awaitingCloseReply() {
        return awaitingClose;
    }

    @Override
    public void render(SupervisorMessage order, long selfId) {
        if (order instanceof OpenAnswered a) {
            answered(a, selfId);
            return;
        }
        if (state != State.AWAITING && state != State.OPEN) {
            return;
        }
        if (mqtt != null) {
            mqtt.door().render(order, selfId);
            return;
        }
        if (order instanceof SupervisorMessage.NickAccepted n) {
            nick = n.nick();
        } else if (order instanceof SupervisorMessage.LoggedIn l) {
            nick = l.user();
        }
        if (upgrade.text()) {
            text.render(order, selfId);
        } else {
            events.render(order, selfId);
        }
    }

    /** The supervisor's answer to the opening: the 101 and what waited, or a 403 with its reason. */
    private void answered(OpenAnswered a, long selfId) {
        if (state != State.AWAITING) {
            return; // repeated after a resume: the session is open already
        }
        if (!a.accepted()) {
            waiting.clear();
            http(403, a.reason() == null ? "refused" : a.reason(), "");
            return;
        }
        state = State.OPEN;
        out.append(Handshake.switching(upgrade.accept(), false));
        lastHeardNanos = clock.getAsLong();
        if (upgrade.text()) {
            text.greet(peer, pid);
        } else {
            events.welcome(selfId, pid, nick != null ? nick : peer);
        }
        for (byte[] frame : waiting) {
            out.append(frame);
        }
        waiting.clear();
    }

    @Override
    public void prompt(Prompt prompt) {
        prompting = prompt;
        if (upgrade != null && upgrade.text()) {
            frame(WsFrames.text(prompt == Prompt.PASSWORD ? "password:" : "login:"));
        } else {
            events.prompt(prompt == Prompt.PASSWORD);
        }
    }

    @Override
    public void reply(Reply reply) {
        if ((state != State.AWAITING && state != State.OPEN) || mqtt != null) {
            return;
        }
        if (upgrade.text()) {
            text.reply(reply);
        } else {
            events.reply(reply);
        }
    }

    @Override
    public void goodbye(String notice) {
        if (state == State.HEAD || state == State.AWAITING) {
            http(503, notice == null ? "server unavailable" : notice, "");
        } else if (state == State.OPEN && mqtt != null) {
            mqtt.door().goodbye(notice); // a DISCONNECT (5.0) in a binary frame, then the close
            close(notice == null ? WsFrameDecoder.NORMAL : WsFrameDecoder.GOING_AWAY, "", true);
        } else if (state == State.OPEN) {
            if (notice != null) {
                if (upgrade.text()) {
                    text.notice(notice);
                } else {
                    events.notice(notice);
                }
            }
            // 1000 for a /quit or a close of the client's; 1008 for the flood limit; 1001 for the server's others.
            int code = notice == null || notice.equals("bye")
                    ? WsFrameDecoder.NORMAL
                    : notice.contains("flood") ? WsFrameDecoder.POLICY : WsFrameDecoder.GOING_AWAY;
            close(code, notice == null ? "" : notice, true);
        }
    }

    // ---- output

    /** A frame for the client: now when the session is open, after the 101 while awaiting it. */
    private void frame(byte[] frame) {
        if (state == State.OPEN) {
            out.append(frame);
        } else if (state == State.AWAITING) {
            if (waiting.size() == MAX_WAITING_EVENTS) {
                waiting.remove(0);
            }
            waiting.add(frame);
        }
    }

    /** Sends our close; with {@code awaitReply} the client's close is awaited (not after a broken frame). */
    private void close(int code, String reason, boolean awaitReply) {
        if (state == State.OPEN) {
            out.append(WsFrames.close(code, reason));
            awaitingClose = awaitReply && !frames.done();
        }
        state = State.DONE;
    }

    private void http(int status, String reason, String headers) {
        out.append(Handshake.refusal(status, reason, headers));
        state = State.DONE;
    }

    // ---- input

    /** A text message: a login answer, 001's JSON request, or a chat line. */
    private Intent message(String message) {
        var prompt = prompting;
        prompting = null;
        if (prompt == Prompt.PASSWORD) {
            return new Intent.Password(message);
        }
        if (prompt == Prompt.USER) {
            return new Intent.LoginName(message.strip());
        }
        String stripped = message.strip();
        if (stripped.startsWith("{") && stripped.endsWith("}")) {
            Intent request = request(stripped);
            if (request != null) {
                return request;
            }
        }
        return line(message, true);
    }

    /** A chat line, one line of it (line breaks become spaces), cleaned as telnet's are. */
    private Intent line(String message, boolean commands) {
        String clean =
                SafeText.clean(message.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' '));
        if (clean.getBytes(UTF_8).length > maxLineBytes) {
            return new Intent.Invalid("line too long (max " + maxLineBytes + " bytes)");
        }
        if (!commands) {
            return clean.isBlank() ? Intent.BLANK : new Intent.Say(clean);
        }
        return ChatCommands.parse(clean);
    }

    /** Seed 001's {@code {"message":..,"tags":{..},"metadata":{..}}}, or null (not one: then a chat line). */
    private Intent request(String json) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (Json.JsonException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> request) || !request.containsKey("message")) {
            return null;
        }
        if (!(request.get("message") instanceof String message)) {
            return new Intent.Invalid("message must be a string");
        }
        Object rawTags = request.get("tags");
        Map<String, String> tags;
        try {
            tags = rawTags == null || rawTags == Json.NULL ? Map.of() : Tags.of(rawTags, settings);
        } catch (Tags.BadTags e) {
            return new Intent.Invalid(e.getMessage());
        }
        if (tags.isEmpty()) {
            return line(message, false); // to the sender's room, as it is: no command in a request
        }
        String key = null;
        String secret = null;
        if (request.get("metadata") instanceof Map<?, ?> metadata) {
            key = metadata.get("key") instanceof String k ? k : null;
            secret = metadata.get("secret") instanceof String s ? s : null;
        }
        return new Intent.TaggedSay(SafeText.clean(message), tags, key, secret);
    }

    /** What the frame decoder finds in one feed. */
    private final class Frames implements WsFrameDecoder.Sink {
        /** Where the messages of the feed under way go; set for the length of that call. */
        private Consumer<Intent> intents;

        @Override
        public void text(String message) {
            intents.accept(message(message));
        }

        @Override
        public void binary(byte[] message) {
            if (!mqtt.message(message, intents)) {
                frames.stop(); // the rest of the read waits until the door takes what it left
            }
        }

        @Override
        public void ping(byte[] payload) {
            out.append(WsFrames.pong(payload));
            intents.accept(Intent.KEEP_ALIVE); // counted by the flood limit, not by the idle timeout
        }

        @Override
        public void pong() {
            intents.accept(Intent.KEEP_ALIVE);
        }

        @Override
        public void close(int code, String reason) {
            // Echo the code (none for none), then the session ends and the connection closes.
            out.append(WsFrames.close(code == WsFrameDecoder.NO_STATUS ? 0 : code, ""));
            state = State.DONE;
            intents.accept(new Intent.Hangup("ws_close"));
        }

        @Override
        public void violation(int code, String reason) {
            WebSocketFrontDoor.this.close(code, reason, false); // the stream is broken: no close frame to find
            intents.accept(new Intent.Hangup("ws_" + code));
        }
    }

    /** The frames after our close: data and pings are dropped (no frame may follow a close), a close ends the wait. */
    private final class AfterClose implements WsFrameDecoder.Sink {
        @Override
        public void text(String message) {}

        @Override
        public void ping(byte[] payload) {}

        @Override
        public void pong() {}

        @Override
        public void close(int code, String reason) {
            awaitingClose = false;
        }

        @Override
        public void violation(int code, String reason) {
            awaitingClose = false;
        }
    }
}
