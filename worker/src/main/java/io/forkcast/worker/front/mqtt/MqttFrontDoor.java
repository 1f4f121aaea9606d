package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.MqttWill;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttDeliver;
import io.forkcast.protocol.message.SupervisorMessage.MqttKick;
import io.forkcast.protocol.message.SupervisorMessage.MqttPublished;
import io.forkcast.protocol.message.SupervisorMessage.MqttRelease;
import io.forkcast.protocol.message.SupervisorMessage.MqttSubAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttUnsubAck;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The MQTT client kind, 3.1.1 and 5.0, by hand with the JDK alone: one connection's packets in (each becomes an
 * {@link Intent.Mqtt} carrying the hub message the supervisor takes), the supervisor's answers and messages out
 * as packets. The connection's own state lives here: the protocol version, keep-alive, topic aliases, inbound
 * QoS 1/2 ids until answered and QoS 2 ids until released, the subscriptions granted (for a resume). Sessions,
 * matching and routing are the supervisor's. Any violation closes the connection (5.0: after a DISCONNECT with
 * its reason code) and costs only this client. Confined to the worker's loop thread.
 *
 * <pre>
 *  AWAITING_CONNECT --CONNECT (checked)--> CONNECTING --MqttConnAck 0--> CONNECTED --DISCONNECT, kick--> DONE
 *    | anything else, no CONNECT in 10 s       | refused: CONNACK, close         | violation, keep-alive lost
 *    v                                          v                                 v
 *  DONE (closed)                              DONE                              DONE (5.0: DISCONNECT first)
 * </pre>
 *
 * While CONNECTING the client is not read: what it sent after its CONNECT waits for the CONNACK.
 */
public final class MqttFrontDoor implements FrontDoor {
    /** The kind's name, as given to {@code --kind} and sent in Hello2 / Resume4. */
    public static final String KIND = "mqtt";

    /** mqtt_max_packet_bytes when the supervisor names none. */
    public static final int DEFAULT_MAX_PACKET_BYTES = 61_440;

    /** How many QoS 1 and 2 PUBLISHes a 5.0 client may have unanswered (CONNACK's receive maximum). */
    static final int RECEIVE_MAXIMUM = 256;

    /** The highest topic alias a 5.0 client may set (CONNACK's topic alias maximum). */
    static final int TOPIC_ALIAS_MAXIMUM = 64;

    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private enum State {
        AWAITING_CONNECT,
        CONNECTING,
        CONNECTED,
        DONE
    }

    /** Where packets for the client go: the client's output, or (MQTT over WebSocket) one binary frame each. */
    private final Consumer<byte[]> out;

    private final int maxPacketBytes;
    private final LongSupplier clock;
    private final PacketFramer framer;
    /** Intents that arise outside a feed (a refusal's hangup, a message too large to send), given at the next tick. */
    private final ArrayDeque<Intent> later = new ArrayDeque<>();

    private State state = State.AWAITING_CONNECT;
    private boolean stopped;
    /** Set once a 5.0 DISCONNECT of ours went out: the connection closes when the client closes (or the grace ends). */
    private boolean disconnectSent;
    /** 4 or 5 once the CONNECT is read; 0 before. */
    private int version;

    private long keepAliveNanos;
    private long lastHeardNanos;
    /** Set by {@link #greet}; 0 before. */
    private long connectDeadlineNanos;

    /** The CONNECT's settings, for the supervisor after a restart; the client id is the CONNACK's. */
    private String clientId;

    private boolean assignedId;
    private boolean cleanStart;
    private long sessionExpiry;
    private int receiveMaximum;
    /** The largest packet the client takes; 0 for no limit of its own. */
    private int clientMaximumPacketSize;

    private MqttWill will;
    /** The client's topic aliases and QoS 1/2 ids on their way in. */
    private final Inbound inbound = new Inbound(RECEIVE_MAXIMUM, TOPIC_ALIAS_MAXIMUM);
    /** The SUBSCRIBEs unanswered and the filters granted. */
    private final Granted granted = new Granted();
    /** How far the client took the QoS 2 messages sent to it: a DUP of one it took is answered here. */
    private final Outbound outbound = new Outbound();
    /** The highest packet id of a message the supervisor sent the client; 0 for none. */
    private int lastDeliveredId;

    public MqttFrontDoor(ClientOutput out, int maxPacketBytes, LongSupplier clock) {
        this(out::append, maxPacketBytes, clock);
    }

    /** A front door whose packets go to {@code write}, one call each (MQTT over WebSocket: a binary frame each). */
    public MqttFrontDoor(Consumer<byte[]> write, int maxPacketBytes, LongSupplier clock) {
        this.out = write;
        this.maxPacketBytes = maxPacketBytes;
        this.clock = clock;
        this.framer = new PacketFramer(maxPacketBytes);
    }

    /** True once the CONNACK accepted the client: its packets are a program's, paced rather than dropped. */
    public boolean connected() {
        return state == State.CONNECTED;
    }

    /** True while the CONNECT is with the supervisor. */
    public boolean connecting() {
        return state == State.CONNECTING;
    }

    @Override
    public void limits(SupervisorMessage.Limits limits) {
        // A packet's limit is mqtt_max_packet_bytes, given at start; the chat's line limit is not MQTT's.
    }

    @Override
    public void greet(String peer, long pid) {
        connectDeadlineNanos = clock.getAsLong() + CONNECT_TIMEOUT_NANOS;
    }

    @Override
    public void feed(ByteBuffer in, Consumer<Intent> intents) {
        stopped = false;
        if (in.hasRemaining()) {
            lastHeardNanos = clock.getAsLong();
        }
        while (!stopped && in.hasRemaining() && (state == State.AWAITING_CONNECT || state == State.CONNECTED)) {
            try {
                if (!framer.next(in)) {
                    return;
                }
                int first = framer.firstByte();
                var body = new PacketReader(framer.body(), framer.length());
                MqttPackets.checkFlags(first >>> 4, first & 0x0F);
                if (state == State.AWAITING_CONNECT) {
                    connect(first >>> 4, body, intents);
                } else {
                    packet(first >>> 4, first & 0x0F, body, intents);
                }
            } catch (MqttException e) {
                violation(e, intents);
            }
        }
        if (state == State.DONE) {
            in.position(in.limit()); // nothing more is read from a connection being closed
        }
    }

    @Override
    public void stopFeed() {
        stopped = true;
    }

    @Override
    public void reading(boolean reading) {
        if (!reading) {
            lastHeardNanos = clock.getAsLong(); // a silence of the loop's making (backlog full) is not the client's
        }
    }

    @Override
    public long tick(Consumer<Intent> intents) {
        while (!later.isEmpty()) {
            intents.accept(later.poll());
        }
        long now = clock.getAsLong();
        if (state == State.AWAITING_CONNECT && connectDeadlineNanos != 0) {
            if (now - connectDeadlineNanos >= 0) {
                state = State.DONE;
                intents.accept(new Intent.Hangup("no_connect"));
                return 0;
            }
            return Math.max(1, TimeUnit.NANOSECONDS.toMillis(connectDeadlineNanos - now));
        }
        if (state != State.CONNECTED || keepAliveNanos == 0) {
            return 0;
        }
        // Section 3.1.2.10: nothing from the client for one and a half times its keep-alive, and it is gone.
        long deadline = lastHeardNanos + keepAliveNanos + keepAliveNanos / 2;
        if (now - deadline >= 0) {
            close(0x8D, "keep alive timeout");
            intents.accept(new Intent.Hangup("keepalive"));
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - now));
    }

    // ---- Packets in

    private void connect(int type, PacketReader body, Consumer<Intent> intents) throws MqttException {
        if (type != MqttPackets.CONNECT) {
            throw MqttException.protocol("the first packet must be a CONNECT");
        }
        int[] versionSeen = {0};
        MqttPackets.Connect c;
        try {
            c = MqttPackets.connect(body, versionSeen);
        } catch (MqttException e) {
            // A CONNECT this server cannot take: 5.0 says why in its CONNACK, 3.1.1 has a code for the version only.
            if (versionSeen[0] == MqttPackets.V5 || e.reasonCode() == MqttPackets.UNSUPPORTED_VERSION) {
                refuse(versionSeen[0], e.reasonCode(), e.getMessage());
                intents.accept(new Intent.Hangup("refused"));
                return;
            }
            throw e;
        }
        version = c.version();
        if (version == MqttPackets.V311 && c.clientId().isEmpty() && !c.cleanStart()) {
            refuse(version, 0x85, "an empty client id needs a clean session");
            intents.accept(new Intent.Hangup("refused"));
            return;
        }
        if (c.props().authMethod != null) {
            refuse(version, 0x8C, "this server has no enhanced authentication");
            intents.accept(new Intent.Hangup("refused"));
            return;
        }
        state = State.CONNECTING;
        keepAliveNanos = TimeUnit.SECONDS.toNanos(c.keepAliveSeconds());
        assignedId = c.clientId().isEmpty();
        clientId = c.clientId();
        cleanStart = c.cleanStart();
        var props = c.props();
        sessionExpiry =
                version == MqttPackets.V5 ? Math.max(0, props.sessionExpiry) : c.cleanStart() ? 0 : 0xFFFF_FFFFL;
        receiveMaximum = props.receiveMaximum < 0 ? 65_535 : props.receiveMaximum;
        clientMaximumPacketSize =
                props.maximumPacketSize < 0 ? 0 : (int) Math.min(props.maximumPacketSize, Integer.MAX_VALUE);
        will = c.will();
        intents.accept(new Intent.Mqtt(new WorkerMessage.MqttConnect(
                0,
                version,
                clientId,
                cleanStart,
                sessionExpiry,
                receiveMaximum,
                clientMaximumPacketSize,
                c.user(),
                MqttPackets.password(c.password()),
                will)));
        stopped = true; // the rest waits for the CONNACK
    }

    private void packet(int type, int flags, PacketReader body, Consumer<Intent> intents) throws MqttException {
        switch (type) {
            case MqttPackets.PUBLISH -> publish(MqttPackets.publish(body, flags, version), intents);
            case MqttPackets.PUBACK ->
                delivered(MqttPackets.ack(body, version).packetId(), MqttDelivered.PUBACK, intents);
            case MqttPackets.PUBREC -> {
                var rec = MqttPackets.ack(body, version);
                if (rec.reasonCode() >= 0x80) {
                    delivered(rec.packetId(), MqttDelivered.DROPPED, intents); // the client refused it: done
                } else {
                    out.accept(MqttWrites.ack(0x62, version, rec.packetId(), 0));
                    delivered(rec.packetId(), MqttDelivered.PUBREC, intents);
                }
            }
            case MqttPackets.PUBCOMP ->
                delivered(MqttPackets.ack(body, version).packetId(), MqttDelivered.PUBCOMP, intents);
            case MqttPackets.PUBREL -> {
                int id = MqttPackets.ack(body, version).packetId();
                inbound.released(id);
                // Answered at once, and told to the supervisor, which may hold the id from an earlier connection.
                out.accept(MqttWrites.ack(0x70, version, id, 0));
                intents.accept(new Intent.Mqtt(new WorkerMessage.MqttPubRel(id)));
            }
            case MqttPackets.SUBSCRIBE -> {
                var s = MqttPackets.subscribe(body, version);
                granted.asked(s.packetId(), s.filters());
                intents.accept(new Intent.Mqtt(new WorkerMessage.MqttSubscribe(s.packetId(), s.filters())));
            }
            case MqttPackets.UNSUBSCRIBE -> {
                var u = MqttPackets.unsubscribe(body, version);
                granted.unsubscribed(u.filters());
                intents.accept(new Intent.Mqtt(new WorkerMessage.MqttUnsubscribe(u.packetId(), u.filters())));
            }
            case MqttPackets.PINGREQ -> {
                out.accept(MqttWrites.pingresp());
                intents.accept(Intent.BLANK); // heard from: a listening device's pings keep it in
            }
            case MqttPackets.DISCONNECT -> {
                var d = MqttPackets.disconnect(body, version);
                if (d.sessionExpiry() > 0 && sessionExpiry == 0) {
                    throw MqttException.protocol("a session expiry set at DISCONNECT after 0 at CONNECT");
                }
                state = State.DONE;
                intents.accept(new Intent.Mqtt(new WorkerMessage.MqttDisconnect(d.reasonCode(), d.sessionExpiry())));
                intents.accept(new Intent.Hangup("quit"));
            }
            case MqttPackets.CONNECT -> throw MqttException.protocol("a second CONNECT");
            case MqttPackets.AUTH ->
                throw version == MqttPackets.V5
                        ? MqttException.protocol("AUTH without an authentication method")
                        : MqttException.malformed("packet type 15 is reserved in 3.1.1");
            case 0 -> throw MqttException.malformed("packet type 0 is reserved");
            default -> throw MqttException.protocol("packet type " + type + " is the server's to send");
        }
    }

    private void publish(MqttPackets.Publish p, Consumer<Intent> intents) throws MqttException {
        String topic = inbound.topic(p);
        if (p.qos() > 0) {
            var verdict = inbound.admit(p.qos(), p.packetId(), version == MqttPackets.V5);
            if (verdict == Inbound.Verdict.PUBREC_AGAIN) {
                out.accept(MqttWrites.ack(0x50, version, p.packetId(), 0)); // held already: not routed twice
            }
            if (verdict != Inbound.Verdict.FORWARD) {
                return;
            }
        }
        intents.accept(new Intent.Mqtt(new WorkerMessage.MqttPublish(
                0,
                topic,
                p.payload(),
                p.qos(),
                p.retain(),
                p.packetId(),
                p.props().message())));
    }

    private void delivered(int packetId, int stage, Consumer<Intent> intents) {
        outbound.answered(packetId, stage);
        intents.accept(new Intent.Mqtt(new MqttDelivered(packetId, stage)));
    }

    private void violation(MqttException e, Consumer<Intent> intents) {
        boolean malformed = e.reasonCode() == MqttException.MALFORMED;
        if (state == State.CONNECTED) {
            close(e.reasonCode(), e.getMessage());
        }
        state = State.DONE;
        intents.accept(new Intent.Hangup(
                e.reasonCode() == MqttException.PACKET_TOO_LARGE
                        ? "too_large"
                        : malformed ? "malformed" : "protocol_error"));
    }

    /** A CONNACK refusal, then nothing more (the hangup follows). */
    private void refuse(int atVersion, int code, String reason) {
        out.accept(MqttWrites.connack(atVersion, false, code, null, reason, null));
        state = State.DONE;
    }

    /** The worker cannot put the CONNECT to the supervisor: refused with {@code code}, and the session ends. */
    public void refuseLocally(int code, String reason) {
        refuse(version, code, reason);
        later.add(new Intent.Hangup("refused"));
    }

    /** 5.0: a DISCONNECT with {@code code}; the connection is closed next either way. */
    private void close(int code, String reason) {
        if (version == MqttPackets.V5 && state == State.CONNECTED) {
            out.accept(MqttWrites.disconnect(code, reason));
            disconnectSent = true;
        }
        state = State.DONE;
    }

    /** After our DISCONNECT: our side is shut, what the client sends until it closes is read and dropped. */
    @Override
    public boolean awaitingCloseReply() {
        return disconnectSent;
    }

    @Override
    public boolean shutsOutputWhileAwaitingClose() {
        return true;
    }

    // ---- From the supervisor

    @Override
    public void render(SupervisorMessage order, long selfId) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (order instanceof MqttDeliver d) {
            deliver(d);
        } else if (order instanceof MqttPublished p) {
            int qos = inbound.answered(p.packetId(), p.reasonCode());
            if (qos > 0) {
                out.accept(MqttWrites.ack(qos == 1 ? 0x40 : 0x50, version, p.packetId(), p.reasonCode()));
            }
        } else if (order instanceof MqttConnAck c && state == State.CONNECTING) {
            connAck(c);
        } else if (order instanceof MqttSubAck s) {
            granted.answered(s.packetId(), s.codes());
            out.accept(MqttWrites.suback(version, s.packetId(), s.codes()));
        } else if (order instanceof MqttUnsubAck u) {
            out.accept(MqttWrites.unsuback(version, u.packetId(), u.codes()));
        } else if (order instanceof MqttRelease r) {
            out.accept(MqttWrites.ack(0x62, version, r.packetId(), 0));
        } else if (order instanceof MqttKick k && state != State.DONE) {
            close(k.reasonCode(), k.reason());
            later.add(new Intent.Hangup("kicked"));
        }
        // Everything else (chat news, notices) is for people, not for MQTT clients.
    }

    private void connAck(MqttConnAck c) {
        if (c.reasonCode() >= 0x80) {
            refuse(version, c.reasonCode(), c.reason());
            later.add(new Intent.Hangup("refused"));
            return;
        }
        state = State.CONNECTED;
        clientId = c.clientId() != null ? c.clientId() : clientId;
        lastHeardNanos = clock.getAsLong();
        var server = new MqttWrites.Server(maxPacketBytes, RECEIVE_MAXIMUM, TOPIC_ALIAS_MAXIMUM);
        out.accept(MqttWrites.connack(version, c.sessionPresent(), 0, assignedId ? clientId : null, null, server));
    }

    private void deliver(MqttDeliver d) {
        if (state != State.CONNECTED) {
            return;
        }
        if (d.packetId() > 0) {
            lastDeliveredId = d.packetId();
        }
        if (d.qos() == 2 && outbound.answeredAgain(d, version, out, later)) {
            return; // sent again after a supervisor restart: the client has it already
        }
        var body = MqttWrites.publish(version, d);
        if (clientMaximumPacketSize > 0 && body.packetLength() > clientMaximumPacketSize) {
            // Section 3.1.2.11.4 of 5.0: a message larger than the client takes is dropped, as if delivered.
            if (d.qos() > 0) {
                later.add(new Intent.Mqtt(new MqttDelivered(d.packetId(), MqttDelivered.DROPPED)));
            }
            return;
        }
        out.accept(body.packet(MqttWrites.publishByte(d)));
    }

    /** A request that could not reach the supervisor: SUBSCRIBE and UNSUBSCRIBE are answered as failed (true). */
    public boolean answerUnsent(WorkerMessage request) {
        if (request instanceof WorkerMessage.MqttSubscribe s) {
            granted.dropped(s.packetId());
            out.accept(MqttWrites.suback(
                    version, s.packetId(), Collections.nCopies(s.filters().size(), 0x80)));
            return true;
        }
        if (request instanceof WorkerMessage.MqttUnsubscribe u) {
            out.accept(MqttWrites.unsuback(
                    version, u.packetId(), Collections.nCopies(u.filters().size(), 0x80)));
            return true;
        }
        return false;
    }

    /** What the worker holds of its connected session, for a supervisor that restarted; null when not connected. */
    public WorkerMessage.MqttResume resume() {
        if (state != State.CONNECTED) {
            return null;
        }
        return new WorkerMessage.MqttResume(
                clientId,
                version,
                cleanStart,
                sessionExpiry,
                receiveMaximum,
                clientMaximumPacketSize,
                will,
                granted.all(),
                lastDeliveredId >= 65_535 ? 1 : lastDeliveredId + 1);
    }

    @Override
    public void prompt(Prompt prompt) {
        // MQTT clients log in with CONNECT; the supervisor never prompts them.
    }

    @Override
    public void reply(Reply reply) {
        // The worker's own chat replies have no MQTT packet; what an MQTT client must hear is answered above.
    }

    @Override
    public void goodbye(String notice) {
        if (notice != null) {
            close(notice.startsWith("server") ? 0x88 : 0x98, notice);
        }
        state = State.DONE;
    }
}
