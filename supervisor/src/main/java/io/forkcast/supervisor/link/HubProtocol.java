package io.forkcast.supervisor.link;

import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.ProtocolLevel;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.message.WorkerMessage.BrokerAck;
import io.forkcast.protocol.message.WorkerMessage.BrokerAttach;
import io.forkcast.protocol.message.WorkerMessage.BrokerSend;
import io.forkcast.protocol.message.WorkerMessage.ClientActed;
import io.forkcast.protocol.message.WorkerMessage.ClientLeft;
import io.forkcast.protocol.message.WorkerMessage.ClientSaid;
import io.forkcast.protocol.message.WorkerMessage.Hello;
import io.forkcast.protocol.message.WorkerMessage.Hello2;
import io.forkcast.protocol.message.WorkerMessage.HistoryRequested;
import io.forkcast.protocol.message.WorkerMessage.JoinRequested;
import io.forkcast.protocol.message.WorkerMessage.LoginRequested;
import io.forkcast.protocol.message.WorkerMessage.NickRequested;
import io.forkcast.protocol.message.WorkerMessage.OpenRequested;
import io.forkcast.protocol.message.WorkerMessage.PeopleRequested;
import io.forkcast.protocol.message.WorkerMessage.PrivateSaid;
import io.forkcast.protocol.message.WorkerMessage.Ready;
import io.forkcast.protocol.message.WorkerMessage.Resume;
import io.forkcast.protocol.message.WorkerMessage.Resume2;
import io.forkcast.protocol.message.WorkerMessage.Resume3;
import io.forkcast.protocol.message.WorkerMessage.Resume4;
import io.forkcast.protocol.message.WorkerMessage.RoomsRequested;
import io.forkcast.protocol.message.WorkerMessage.TaggedSaid;
import io.forkcast.protocol.message.WorkerMessage.TopicRequested;
import io.forkcast.protocol.message.WorkerMessage.WhoRequested;
import io.forkcast.protocol.text.Peers;
import io.forkcast.protocol.text.SafeText;
import io.forkcast.supervisor.route.ClientRef;
import io.forkcast.supervisor.route.Router;
import io.forkcast.supervisor.spawn.ClientIds;
import io.forkcast.supervisor.spawn.Pool;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The hub protocol as the supervisor speaks it, one link at a time: a spare's Ready, a worker's greeting (Hello or
 * Hello2 from ours, Resume or Resume2 from an adoptee), then its client's facts, handed to the {@link Router}. A
 * frame out of place costs the worker its link. Confined to the loop thread.
 */
final class HubProtocol {
    private final Links links;
    private final Router router;
    private final Pool<WorkerLink> pool;
    private final ClientIds clientIds;
    private final EventLog log;

    HubProtocol(Links links, Router router, Pool<WorkerLink> pool, ClientIds clientIds, EventLog log) {
        this.links = links;
        this.router = router;
        this.pool = pool;
        this.clientIds = clientIds;
        this.log = log;
    }

    /** Decodes what was read from {@code link} and acts on each whole frame. */
    void feed(WorkerLink link, ByteBuffer read) {
        try {
            link.decoder.feed(read, message -> onMessage(link, message));
        } catch (ProtocolException e) {
            links.reject(link, e.reason(), e.headHex());
        }
    }

    private void onMessage(WorkerLink link, Message message) {
        if (!link.state.open()) {
            return;
        }
        if (!(message instanceof WorkerMessage fact)) {
            links.reject(link, "wrong_direction", message.getClass().getSimpleName());
            return;
        }
        switch (link.state) {
            case SPARE_STARTING -> {
                // A spare says Ready once, then nothing until it is handed a client.
                if (!(fact instanceof Ready ready) || ready.pid() != link.pid) {
                    links.reject(link, "no_ready", fact.getClass().getSimpleName());
                    return;
                }
                link.state = LinkState.SPARE_IDLE;
                pool.ready(link);
                log.info("event=spare_ready pid=" + link.pid + " idle=" + pool.idle());
            }
            case SPARE_IDLE ->
                links.reject(link, "idle_spare_spoke", fact.getClass().getSimpleName());
            case JOINING -> {
                link.lastInputNanos = System.nanoTime();
                switch (fact) {
                    case Hello h -> onHello(link, h.pid(), ProtocolLevel.BASE, ClientRef.TELNET);
                    case Hello2 h -> onHello(link, h.pid(), ProtocolLevel.agreed(h.level()), h.kind());
                    default -> links.reject(link, "no_hello", fact.getClass().getSimpleName());
                }
            }
            case ADOPTING -> {
                link.lastInputNanos = System.nanoTime();
                switch (fact) {
                    case Resume r ->
                        onResume(
                                link,
                                r.pid(),
                                r.peer(),
                                r.clientId(),
                                r.nick(),
                                ProtocolLevel.BASE,
                                ClientRef.TELNET,
                                List.of(),
                                null);
                    case Resume2 r ->
                        onResume(
                                link,
                                r.pid(),
                                r.peer(),
                                r.clientId(),
                                r.nick(),
                                Math.min(2, ProtocolLevel.agreed(r.level())),
                                r.kind(),
                                List.of(),
                                null);
                    case Resume3 r ->
                        onResume(
                                link,
                                r.pid(),
                                r.peer(),
                                r.clientId(),
                                r.nick(),
                                Math.min(3, ProtocolLevel.agreed(r.level())),
                                r.kind(),
                                cleanTopics(r.rooms()),
                                null);
                    case Resume4 r ->
                        onResume(
                                link,
                                r.pid(),
                                r.peer(),
                                r.clientId(),
                                r.nick(),
                                ProtocolLevel.agreed(r.level()),
                                r.kind(),
                                cleanTopics(r.rooms()),
                                r.user());
                    default -> links.reject(link, "no_resume", fact.getClass().getSimpleName());
                }
            }
            case JOINED -> {
                link.lastInputNanos = System.nanoTime();
                onFact(link, fact);
            }
            case CLOSING, CLOSED -> {
                // Nothing more is read from a link being dropped.
            }
        }
    }

    private void onFact(WorkerLink link, WorkerMessage fact) {
        var member = link.member;
        if (member.awaitingOpen()
                && !(fact instanceof OpenRequested
                        || fact instanceof ClientLeft
                        || fact instanceof WorkerMessage.MqttConnect)) {
            // A WebSocket client before its handshake is accepted (or its MQTT CONNECT, for MQTT over WebSocket):
            // ours send nothing else, so anything else goes nowhere (not even a notice: it has no page to show it).
            return;
        }
        if (member.awaitingLogin() && isRequest(fact)) {
            router.beforeLogin(member);
            return;
        }
        switch (fact) {
            // Text is cleaned again here: a worker may be forged, old or broken, and its text reaches everyone.
            case ClientSaid s -> router.said(member, s.seq(), SafeText.clean(s.text()));
            case ClientActed a -> router.acted(member, a.seq(), SafeText.clean(a.action()));
            case NickRequested n -> {
                if (router.nick(member, n.seq(), n.nick()) == Router.Outcome.RENAMED) {
                    log.info("event=nick " + link.describe() + " nick=" + EventLog.quote(n.nick()));
                }
            }
            case WhoRequested w -> router.who(member);
            case JoinRequested j -> router.desk().enter(member, j.seq(), j.room());
            case RoomsRequested r -> router.desk().roomList(member);
            case PeopleRequested p -> router.desk().people(member, p.everyone());
            case TopicRequested t -> router.desk().topic(member, SafeText.clean(t.topic()));
            case PrivateSaid p -> router.privately(member, p.seq(), p.to(), p.toClient(), SafeText.clean(p.text()));
            case LoginRequested l -> router.login().login(member, l.seq(), l.user(), l.password());
            case HistoryRequested h -> router.historyDesk().history(member, h.lines());
            case ClientLeft l -> link.leaving(LeaveCause.ofWord(l.cause()), l.cause());
            case Hello h -> links.reject(link, "second_hello", "");
            case Hello2 h -> links.reject(link, "second_hello", "");
            case Resume r -> links.reject(link, "late_resume", "");
            case Resume2 r -> links.reject(link, "late_resume", "");
            case Resume3 r -> links.reject(link, "late_resume", "");
            case Resume4 r -> links.reject(link, "late_resume", "");
            case Ready r -> links.reject(link, "late_ready", "");
            case BrokerAttach b -> router.broker().attach(member, b.seq(), b.role(), b.channel());
            // Data is a program's JSON: passed as it came (a receiver's worker checks it again), not cleaned as text.
            case BrokerSend b -> router.broker().send(member, b.seq(), b.channel(), b.data());
            case BrokerAck b -> router.broker().ack(member, b.ids());
            case OpenRequested o -> router.tags().open(member, o.seq(), o.key(), o.secret(), o.tags());
            // The message is cleaned by TagDesk, once it is known to go anywhere; tags are checked, not cleaned.
            case TaggedSaid t -> router.tags().send(member, t.seq(), t.message(), t.tags(), t.key(), t.secret());
            // Level 7: MQTT clients (the payloads are bytes, passed as they came; room lines are cleaned as text).
            case WorkerMessage.MqttConnect m -> router.mqtt().connect(member, m);
            case WorkerMessage.MqttPublish m -> router.mqtt().publish(member, m);
            case WorkerMessage.MqttPubRel m -> router.mqtt().pubRel(member, m.packetId());
            case WorkerMessage.MqttDelivered m -> router.mqtt().delivered(member, m);
            case WorkerMessage.MqttSubscribe m -> router.mqtt().subscribe(member, m.packetId(), m.filters());
            case WorkerMessage.MqttUnsubscribe m -> router.mqtt().unsubscribe(member, m.packetId(), m.filters());
            case WorkerMessage.MqttDisconnect m -> router.mqtt().disconnect(member, m.reasonCode(), m.sessionExpiry());
            case WorkerMessage.MqttResume m -> router.mqtt().resume(member, m);
        }
    }

    /** A request a client must log in to make, where the server requires it (lines are refused by the Router). */
    private static boolean isRequest(WorkerMessage fact) {
        return fact instanceof NickRequested
                || fact instanceof WhoRequested
                || fact instanceof JoinRequested
                || fact instanceof RoomsRequested
                || fact instanceof PeopleRequested
                || fact instanceof TopicRequested
                || fact instanceof HistoryRequested;
    }

    private void onHello(WorkerLink link, long pid, int level, String kind) {
        if (pid != link.pid) {
            links.reject(link, "pid_mismatch", "hello_pid=" + pid);
            return;
        }
        link.state = LinkState.JOINED;
        var ref = new ClientRef(router.node(), link.clientId, link.peer, link.pid, level, kind);
        link.member = router.join(ref, link);
        links.clientCountChanged();
        log.info("event=join " + link.describe());
    }

    /**
     * A worker that lost its supervisor comes back: it keeps its id, its nickname if still free, and its client,
     * who saw no one leave; so nobody is told it joined.
     */
    private void onResume(
            WorkerLink link,
            long pid,
            String peer,
            long clientId,
            String nick,
            int level,
            String kind,
            List<RoomEntry> rooms,
            String user) {
        if (pid != link.pid) {
            links.reject(link, "pid_mismatch", "resume_pid=" + pid);
            return;
        }
        // A resume is the one frame that names its own client: a malformed one is refused before anyone sees it.
        if (!Peers.isPeer(peer)) {
            links.reject(link, "bad_resume", "peer");
            return;
        }
        if (kind == null
                || kind.isEmpty()
                || kind.length() > 32
                || !kind.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            links.reject(link, "bad_resume", "kind");
            return;
        }
        if (links.serving(clientId) || router.directory().byId(clientId) != null) {
            links.reject(link, "id_in_use", "client_id=" + clientId);
            return;
        }
        // Only an id the previous supervisor had out, that no worker resumed since: a forged one costs its sender.
        if (!clientIds.claim(clientId, System.nanoTime())) {
            links.reject(link, "id_not_out", "client_id=" + clientId);
            return;
        }
        link.assign(clientId, peer);
        links.resumed(link);
        link.state = LinkState.JOINED;
        var ref = new ClientRef(router.node(), clientId, peer, link.pid, level, kind);
        link.member = router.resume(ref, nick, rooms, user, link);
        links.clientCountChanged();
        links.mutableStats().adopted++;
        log.info("event=adopt " + link.describe() + " name=" + EventLog.quote(link.name())
                + (link.member.user() == null ? "" : " user=" + link.member.user()));
    }

    /** The rooms a Resume3 brings, their topics cleaned as any text from a worker is. */
    private static List<RoomEntry> cleanTopics(List<RoomEntry> rooms) {
        if (rooms == null) {
            return null;
        }
        return rooms.stream()
                .map(r -> r == null ? null : new RoomEntry(r.name(), r.members(), SafeText.clean(r.topic())))
                .toList();
    }
}
