package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.MqttFilter;
import io.forkcast.protocol.message.MqttProperties;
import io.forkcast.protocol.message.MqttWill;
import io.forkcast.protocol.message.SupervisorMessage.MqttConnAck;
import io.forkcast.protocol.message.SupervisorMessage.MqttKick;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttDelivered;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.protocol.text.Json;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * MQTT clients in the routing domain: CONNECT against the accounts, sessions by client id (takeover, kept while
 * offline, in the {@link MqttStore} too when there is one, expiry), subscriptions with wildcards and shared groups, retained messages, QoS 0/1/2
 * out with a window of messages in flight, wills, and the bridge between topics {@code <prefix>X} and room X.
 * Sessions and the fan-out live in {@link MqttRouting}; this class takes the facts. Confined to the loop thread.
 */
public final class MqttDesk {
    /** The MQTT settings; replaced on reload. */
    public record Settings(
            Boolean allowAnonymous, String roomPrefix, boolean jsonRooms, int inflightMax, Duration sysInterval) {
        /** Anonymous while there are no accounts, {@code forkcast/rooms/}, text, 64 in flight, $SYS every 10 s. */
        public static final Settings DEFAULT = new Settings(null, "forkcast/rooms/", false, 64, Duration.ofSeconds(10));
    }

    static final int NOT_AUTHORIZED = 0x87;
    static final int BAD_CREDENTIALS = 0x86;
    static final int UNAVAILABLE = 0x88;
    static final int TAKEN_OVER = 0x8E;
    static final int NO_SUBSCRIBERS = 0x10;

    private final String node;
    private final Postman postman;
    private final Delivery delivery;
    private final MqttBridge bridge;
    private final Consumer<String> log;
    private final MqttRouting routing;
    private final MqttSubscriptions subscriptions;
    /** The $SYS/forkcast/... topics, published from {@link #tick}. */
    private final MqttSys sys;
    /** The clients' PUBLISHes and PUBRELs on their way in, QoS 2 ids written to the store before routing. */
    private final MqttIncoming incoming;

    private Accounts accounts;
    private Settings settings;
    /** The time ({@link System#nanoTime} unless a test sets another), for expiries and will delays. */
    private LongSupplier clock = System::nanoTime;
    /** The other nodes of a federation; null until {@link #federate}. */
    private RemoteMqtt remote;

    /** What workers said while the kept sessions were being read back at start; run once they are. */
    private final MqttLoadWait loading = new MqttLoadWait();

    /** Members of kind mqtt connected to a session, and theirs. */
    private final Map<Member, MqttSession> byMember = new HashMap<>();

    private long connects;
    private long refusals;
    private long takeovers;
    private long willsPublished;

    MqttDesk(
            String node,
            Postman postman,
            Delivery delivery,
            RoomBook rooms,
            Accounts accounts,
            Settings settings,
            BrokerDesk.RoomLine roomLine,
            Consumer<String> log) {
        this.node = node;
        this.postman = postman;
        this.delivery = delivery;
        this.accounts = accounts;
        this.settings = settings;
        this.bridge = new MqttBridge(postman, rooms, roomLine);
        this.log = log;
        this.routing = new MqttRouting(postman, settings.inflightMax());
        this.subscriptions = new MqttSubscriptions(postman, routing);
        this.sys = new MqttSys(routing, settings.sysInterval());
        this.incoming = new MqttIncoming(
                postman,
                delivery,
                routing,
                (from, p) -> routeAndBridge(
                        from,
                        from.clientId,
                        p.topic(),
                        p.payload(),
                        p.qos(),
                        p.retain(),
                        p.properties(),
                        clock.getAsLong()));
    }

    /** Shares the topics with the other nodes of {@code federation}; called once, before the loop runs. */
    public void federate(MqttFederation federation) {
        remote = new RemoteMqtt(routing, federation, () -> clock.getAsLong());
        routing.onFiltersChanged(remote::sync);
        federation.attach(remote);
    }

    /** A clock of a test's own. */
    void clock(LongSupplier next) {
        clock = next;
    }

    /**
     * Where sessions that outlive their connection, their messages and retained messages are written through; what
     * it kept is read back now (what workers say waits until it is, so that a returning client finds its session).
     */
    public void store(MqttStore store) {
        routing.store(store);
        if (store.enabled()) {
            loading.begin();
            store.load(kept -> MqttRestore.loaded(routing, incoming, kept, clock.getAsLong(), log, loading::done));
        }
    }

    public void settings(Settings next) {
        settings = next;
        routing.inflightMax(next.inflightMax());
        sys.interval(next.sysInterval(), clock.getAsLong());
    }

    /** Where the $SYS figures come from: the admin STATS command's, read on the loop thread. */
    public void sysFigures(Supplier<? extends Map<String, Long>> figures) {
        sys.figures(figures);
    }

    /** New accounts (a reload): a client logged in as a user no longer in the file is disconnected. */
    public void accounts(Accounts next) {
        accounts = next;
        for (var entry : byMember.entrySet()) {
            String user = entry.getValue().user;
            if (user != null && next.canonical(user) == null) {
                postman.send(entry.getKey(), new MqttKick(0x98, "the account " + user + " is gone"));
            }
        }
    }

    private boolean anonymousAllowed() {
        var allow = settings.allowAnonymous();
        return allow != null ? allow : accounts.mode() == Accounts.Mode.OFF;
    }

    // ---- Connecting ----

    /** A CONNECT: the user is checked (off the loop), then the session taken up or started, then the CONNACK. */
    public void connect(Member member, MqttConnect c) {
        boolean overWebSocket = member.awaitingOpen && TagDesk.isWebSocket(member.ref);
        if ((!member.ref.mqtt() && !overWebSocket) || byMember.containsKey(member) || member.verifying) {
            // Only MQTT workers connect (or a WebSocket one before it opened: MQTT over WebSocket), once (the worker
            // refuses a second CONNECT itself): a forged one is ignored.
            log.accept("event=mqtt_ignored worker=" + member.clientId() + " kind=" + member.ref.kind() + " reason="
                    + (member.ref.mqtt() ? "second_connect" : "not_mqtt"));
            return;
        }
        if (loading.putOff(member, () -> connect(member, c))) {
            return;
        }
        if (c.user() == null) {
            if (anonymousAllowed()) {
                accept(member, c, null);
            } else {
                refuse(member, c, NOT_AUTHORIZED, "this server takes no anonymous clients");
            }
            return;
        }
        if (accounts.mode() == Accounts.Mode.OFF) {
            if (anonymousAllowed()) {
                accept(member, c, null); // no accounts: everyone is anonymous, whatever name it gives
            } else {
                refuse(member, c, BAD_CREDENTIALS, "bad user name or password");
            }
            return;
        }
        if (c.password() == null || accounts.canonical(c.user()) == null) {
            refuse(member, c, BAD_CREDENTIALS, "bad user name or password");
            return;
        }
        member.verifying = true;
        accounts.verify(c.user(), c.password(), member.ref.peer(), verdict -> {
            member.verifying = false;
            if (!member.present) {
                return;
            }
            switch (verdict) {
                case OK -> accept(member, c, accounts.canonical(c.user()));
                case REFUSED -> refuse(member, c, BAD_CREDENTIALS, "bad user name or password");
                case BUSY -> refuse(member, c, UNAVAILABLE, "too many logins at once; try again");
            }
        });
    }

    private void refuse(Member member, MqttConnect c, int code, String reason) {
        refusals++;
        log.accept("event=mqtt_refused worker=" + member.clientId() + " client_id=" + Json.quote(c.clientId())
                + " code=" + code + " reason=" + Json.quote(reason));
        postman.send(member, new MqttConnAck(c.seq(), code, false, null, null, reason));
    }

    private void accept(Member member, MqttConnect c, String user) {
        long now = clock.getAsLong();
        if (member.awaitingOpen) {
            member.awaitingOpen = false; // MQTT over WebSocket: its CONNECT was its opening
            member.mqttOverWebSocket = true;
        }
        String clientId = c.clientId().isEmpty() ? "forkcast-" + node + "-" + member.clientId() : c.clientId();
        incoming.drop(clientId); // QoS 2 ids of a session that ended with its connection: a new one knows none
        var old = routing.session(clientId);
        boolean present = old != null && !c.cleanStart();
        if (old != null) {
            takeOver(old, now);
            if (c.cleanStart()) {
                routing.end(old);
                old = null;
            }
        }
        var session = old != null ? old : routing.start(clientId);
        session.user = user;
        session.version = c.version();
        session.sessionExpiry = c.sessionExpiry();
        session.maximumPacketSize = c.maximumPacketSize();
        session.will = c.will();
        routing.attach(session, member, c.receiveMaximum());
        routing.save(session);
        byMember.put(member, session);
        MqttBridge.name(node, member, session);
        connects++;
        log.accept("event=mqtt_connect worker=" + member.clientId() + " client_id=" + Json.quote(clientId)
                + (user == null ? "" : " user=" + user) + " session_present=" + present);
        postman.send(member, new MqttConnAck(c.seq(), 0, present, clientId, user, null));
        routing.resend(session, now);
    }

    /** The session {@code old} is taken up by a new connection: its connected one is kicked, its will published. */
    private void takeOver(MqttSession old, long now) {
        old.pendingWill = null; // taken up again in time: a delayed will is not published
        if (!(old.member instanceof Member connected)) {
            return;
        }
        takeovers++;
        byMember.remove(connected);
        routing.detach(old);
        postman.send(connected, new MqttKick(TAKEN_OVER, "session taken over"));
        if (old.will != null) {
            publishWill(old.clientId, old.will, now);
        }
        old.will = null;
    }

    /** After a supervisor restart: the worker says what it holds of its connected session, which is taken up. */
    public void resume(Member member, WorkerMessage.MqttResume r) {
        if (loading.putOff(member, () -> resume(member, r))) {
            return; // its messages may be for kept sessions: what follows it waits too
        }
        if (!member.ref.mqtt() || byMember.containsKey(member)) {
            return; // only an MQTT worker resumes, once
        }
        long now = clock.getAsLong();
        var session = routing.session(r.clientId());
        if (session != null) {
            takeOver(session, now);
        } else {
            session = routing.start(r.clientId());
        }
        incoming.claim(session); // the QoS 2 ids its client had held, read back at start
        session.version = r.version();
        session.sessionExpiry = r.sessionExpiry();
        session.maximumPacketSize = r.maximumPacketSize();
        session.will = r.will();
        for (var f : r.subscriptions()) {
            session.subscriptions.put(f.filter(), f);
        }
        session.nextPacketId = r.nextPacketId() < 1 || r.nextPacketId() > 65535 ? 1 : r.nextPacketId();
        routing.attach(session, member, r.receiveMaximum());
        routing.save(session);
        byMember.put(member, session);
        MqttBridge.name(node, member, session);
        routing.resend(session, now);
    }

    /** The session of a connected member; null when there is none, or when {@code again} waits for the store. */
    private MqttSession sessionOf(Member member, Runnable again) {
        return loading.putOff(member, again) || incoming.putOff(member, again) ? null : byMember.get(member);
    }

    /** The client's DISCONNECT: 0 drops the will, 0x04 keeps it; it may change the session expiry. */
    public void disconnect(Member member, int reasonCode, long sessionExpiry) {
        // Not behind a QoS 2 PUBLISH being written: it must be seen before the member leaves, which waits for nothing.
        var session = loading.putOff(member, () -> disconnect(member, reasonCode, sessionExpiry))
                ? null
                : byMember.get(member);
        if (session == null) {
            return;
        }
        if (reasonCode != 0x04) {
            session.will = null;
        }
        if (sessionExpiry >= 0) {
            session.sessionExpiry = sessionExpiry;
        }
        session.disconnectedNormally = reasonCode != 0x04;
    }

    /** The member left: its will is published (or waits for its delay), its session ends or waits offline. */
    void left(Member member) {
        var session = byMember.remove(member);
        if (session == null) {
            return;
        }
        long now = clock.getAsLong();
        routing.detach(session);
        var will = session.will;
        session.will = null;
        if (will != null && !session.disconnectedNormally) {
            long delay = Math.min(will.delaySeconds(), session.sessionExpiry);
            if (delay <= 0) {
                publishWill(session.clientId, will, now);
            } else {
                session.pendingWill = will;
                session.willAtNanos = now + delay * 1_000_000_000L;
            }
        }
        session.disconnectedNormally = false;
        if (session.sessionExpiry == 0) {
            routing.end(session);
        } else {
            session.endsAtNanos = now + Math.min(session.sessionExpiry, MqttSession.NEVER) * 1_000_000_000L;
            routing.save(session); // offline now, with when it ends
        }
    }

    private void publishWill(String clientId, MqttWill will, long now) {
        willsPublished++;
        log.accept("event=mqtt_will client_id=" + Json.quote(clientId) + " topic=" + Json.quote(will.topic()));
        routeAndBridge(null, clientId, will.topic(), will.payload(), will.qos(), will.retain(), will.properties(), now);
    }

    /** Housekeeping: delayed wills fall due, offline sessions and their queued messages expire, $SYS goes out. */
    public void tick(long now) {
        sys.tick(now);
        incoming.tick(now);
        for (var session : routing.sessions()) {
            if (session.pendingWill != null && now - session.willAtNanos >= 0) {
                var will = session.pendingWill;
                session.pendingWill = null;
                publishWill(session.clientId, will, now);
            }
            if (session.member == null
                    && session.sessionExpiry != MqttSession.NEVER
                    && now - session.endsAtNanos >= 0) {
                if (session.pendingWill != null) {
                    publishWill(session.clientId, session.pendingWill, now); // the session ends first
                }
                routing.end(session);
            }
        }
    }

    // ---- Publishing ----

    /**
     * A PUBLISH from the client: routed (a QoS 2 repeat once, its id in the store first when there is one, what
     * follows waiting behind it), retained, bridged, answered; under $ refused.
     */
    public void publish(Member member, MqttPublish p) {
        // Not put off behind a QoS 2 PUBLISH being written: MqttIncoming keeps the turns, and writes this one's id now.
        var session = loading.putOff(member, () -> publish(member, p)) ? null : byMember.get(member);
        if (session != null && delivery.fresh(member, p.seq())) {
            incoming.publish(member, session, p); // not connected (ours send none before CONNACK), or a repeat
        }
    }

    /** The client released its QoS 2 message {@code packetId}. */
    public void pubRel(Member member, int packetId) {
        // At once, as the QoS 2 ids are checked as PUBLISHes arrive: the id may be used again by the next one.
        var session = loading.putOff(member, () -> pubRel(member, packetId)) ? null : byMember.get(member);
        if (session != null) {
            incoming.released(session, packetId);
        }
    }

    /** The client answered a message of ours. */
    public void delivered(Member member, MqttDelivered d) {
        var session = sessionOf(member, () -> delivered(member, d));
        if (session != null) {
            routing.delivered(session, d.packetId(), d.stage(), clock.getAsLong());
        }
    }

    /** Retained, to subscribers, and a line of room X for {@code <prefix>X}; how many sessions it reached. */
    private int routeAndBridge(
            MqttSession from,
            String clientId,
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            MqttProperties props,
            long now) {
        if (retain) {
            routing.retain(topic, payload, qos, props, now);
        }
        int matched = routing.publish(from, topic, payload, qos, retain, props, now);
        if (remote != null) {
            remote.published(topic, payload, qos, retain);
        }
        String prefix = settings.roomPrefix();
        if (prefix != null && !prefix.isEmpty() && topic.startsWith(prefix)) {
            bridge.toRoom(
                    from == null ? null : (Member) from.member, clientId, topic.substring(prefix.length()), payload);
        }
        return matched;
    }

    /** A person's line in a room: to the MQTT subscribers of {@code <prefix><room>}, at QoS 0, not retained. */
    void roomSaid(Room room, Member from, Style style, String text) {
        if (routing.sessionCount() == 0) {
            return;
        }
        String body = MqttBridge.payload(settings.jsonRooms(), room, from, style, text);
        routing.publish(
                null,
                settings.roomPrefix() + room.name,
                body.getBytes(StandardCharsets.UTF_8),
                0,
                false,
                MqttProperties.NONE,
                clock.getAsLong());
    }

    // ---- Subscribing ----

    /** A SUBSCRIBE: each filter granted (or refused), the SUBACK, then the retained messages they match. */
    public void subscribe(Member member, int packetId, List<MqttFilter> filters) {
        var session = sessionOf(member, () -> subscribe(member, packetId, filters));
        if (session != null) {
            subscriptions.subscribe(member, session, packetId, filters, clock.getAsLong());
        }
    }

    /** An UNSUBSCRIBE: 0 for each filter it had, 0x11 for one it had not. */
    public void unsubscribe(Member member, int packetId, List<String> filters) {
        var session = sessionOf(member, () -> unsubscribe(member, packetId, filters));
        if (session != null) {
            subscriptions.unsubscribe(member, session, packetId, filters);
        }
    }

    // ---- Reading ----

    /** The client id of a connected MQTT member, or null. */
    public String clientIdOf(Member member) {
        var session = byMember.get(member);
        return session == null ? null : session.clientId;
    }

    /** How many subscriptions a connected MQTT member's session has. */
    public int subscriptionsOf(Member member) {
        var session = byMember.get(member);
        return session == null ? 0 : session.subscriptions.size();
    }

    /** Counts since start, and what is held now. */
    public MqttStats stats() {
        return new MqttStats(
                connects,
                refusals,
                takeovers,
                incoming.published(),
                routing.delivered(),
                routing.dropped(),
                willsPublished,
                routing.sessionCount(),
                byMember.size(),
                routing.retained().size(),
                routing.queued());
    }
}
