package io.forkcast.supervisor.route;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage.OpenAnswered;
import io.forkcast.protocol.message.SupervisorMessage.TaggedLine;
import io.forkcast.protocol.message.SupervisorMessage.TaggedSent;
import io.forkcast.protocol.text.SafeText;
import io.forkcast.supervisor.front.WebSocketDoor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * WebSocket clients' opening and seed 001's tag routing. A WebSocket client is held out of every room until its
 * worker has read the upgrade request and asked to open ({@code OpenRequested}): then its application key is
 * checked, its tags kept on its {@link Member} and indexed, and it is placed like any newcomer. A tagged message
 * goes to every other open WebSocket client whose tags contain all of the message's pairs, across rooms; its
 * sender learns how many got it. The index maps each pair to the clients that have it, so a message walks only
 * the clients of its rarest pair, never every client. Confined to the loop thread.
 */
public final class TagDesk {
    /** One key and value pair; the index's key. */
    record Tag(String key, String value) {}

    /** ws_tags_max and ws_tag_bytes_max, checked again here: a worker may be forged, old or broken. */
    public record Limits(int tagsMax, int tagBytesMax) {
        public static final Limits DEFAULT = new Limits(16, 64);
    }

    private final Postman postman;
    private final Delivery delivery;
    /** Places a client that has just opened: in the default room, or asked to log in first. */
    private final Consumer<Member> opened;
    /** Where refusals are logged, without secrets. */
    private final Consumer<String> log;
    /** Open WebSocket clients by each of their pairs, in the order they opened. */
    private final Map<Tag, Set<Member>> index = new HashMap<>();

    private Applications applications = Applications.ANYONE;
    private Limits limits = Limits.DEFAULT;
    /** WebSocket clients open now (indexed, with or without tags). */
    private int open;
    /** Openings refused, tagged messages sent and refused, and deliveries of tagged messages, since start. */
    private long opensRefused;

    private long taggedSent;
    private long taggedRefused;
    private long taggedDelivered;

    TagDesk(Postman postman, Delivery delivery, Consumer<Member> opened, Consumer<String> log) {
        this.postman = postman;
        this.delivery = delivery;
        this.opened = opened;
        this.log = log;
    }

    /** True for a client of kind {@code websocket}. */
    static boolean isWebSocket(ClientRef ref) {
        return WebSocketDoor.NAME.equals(ref.kind());
    }

    /** ws_auth_file as read at start or on reload; the clients already open stay open. */
    public void applications(Applications next) {
        this.applications = next;
    }

    /** The limits of tags (fixed until a restart, as the workers' are). */
    public void limits(Limits next) {
        this.limits = next;
    }

    /**
     * A WebSocket client's handshake: answered {@code OpenAnswered(seq, true, null)} when its key may open (or no
     * ws_auth_file is set) and its tags are within the limits, else with the reason, which its worker sends as an
     * HTTP 403. A client already open (its worker resumed under a new supervisor and says it again) has its tags
     * replaced and is not placed again; refused, its worker closes it.
     */
    public void open(Member member, long seq, String key, String secret, Map<String, String> tags) {
        delivery.fresh(member, seq); // a repeat is answered again, idempotently: it only records the sequence number
        String problem = !isWebSocket(member.ref) ? "not a WebSocket client" : tagsProblem(tags, false);
        if (problem == null) {
            problem = switch (applications.grant(key, secret)) {
                case OPEN -> null;
                case SEND -> "this application may not open connections";
                case NONE ->
                    key == null || secret == null
                            ? "an application key and secret are needed (?key=...&secret=...)"
                            : "unknown application key or wrong secret";
            };
        }
        unindex(member);
        if (problem != null) {
            opensRefused++;
            log.accept("event=ws_open_refused client=" + member.clientId()
                    + (key == null ? "" : " key=" + EventLog.quote(key)) + " reason=" + EventLog.quote(problem));
            postman.send(member, new OpenAnswered(seq, false, problem));
            return;
        }
        member.tags = tags == null ? Map.of() : Map.copyOf(tags);
        index(member);
        postman.send(member, new OpenAnswered(seq, true, null));
        if (member.awaitingOpen) {
            member.awaitingOpen = false;
            opened.accept(member);
        }
    }

    /**
     * Seed 001's send with tags, number {@code seq} of {@code from}: to every other open, receiving WebSocket client
     * whose tags contain all of {@code tags}. Answered {@code TaggedSent(seq, receivers, null)}, or {@code
     * TaggedSent(seq, 0, reason)} when refused (no tags, too many or too long, a key that may not send). A repeat is
     * dropped.
     */
    public void send(Member from, long seq, String message, Map<String, String> tags, String key, String secret) {
        if (!delivery.fresh(from, seq)) {
            return;
        }
        String problem = from.tags == null ? "not an open WebSocket client" : tagsProblem(tags, true);
        if (problem == null && message == null) {
            problem = "no message";
        }
        if (problem == null && applications.grant(key, secret) == Applications.Grant.NONE) {
            problem = key == null || secret == null
                    ? "metadata.key and metadata.secret of an application are needed"
                    : "unknown application key or wrong secret";
        }
        if (problem != null) {
            taggedRefused++;
            postman.send(from, new TaggedSent(seq, 0, problem));
            return;
        }
        from.linesIn++;
        taggedSent++;
        int reached = deliver(from, seq, SafeText.clean(message), tags);
        taggedDelivered += reached;
        postman.counted();
        postman.send(from, new TaggedSent(seq, reached, null));
    }

    /** Posts the tagged line to every match but the sender; returns how many took it. */
    private int deliver(Member from, long seq, String message, Map<String, String> tags) {
        Set<Member> smallest = null;
        for (var pair : tags.entrySet()) {
            var holders = index.get(new Tag(pair.getKey(), pair.getValue()));
            if (holders == null) {
                return 0; // nobody has this pair, so nobody has them all
            }
            if (smallest == null || holders.size() < smallest.size()) {
                smallest = holders;
            }
        }
        if (smallest == null) {
            return 0;
        }
        ByteBuffer frame = null;
        int reached = 0;
        for (var member : smallest) {
            if (member == from || !member.receiving || !member.present || !contains(member.tags, tags)) {
                continue;
            }
            if (frame == null) {
                // Encoded once, for the first receiver: a message that matches nobody costs no encoding.
                frame = postman.encode(new TaggedLine(from.sender, seq, message, Map.copyOf(tags)));
                if (frame == null) {
                    return 0; // too large a frame: logged by Frames
                }
            }
            if (postman.post(member, frame)) {
                reached++;
            }
        }
        return reached;
    }

    private static boolean contains(Map<String, String> have, Map<String, String> wanted) {
        for (var pair : wanted.entrySet()) {
            if (!pair.getValue().equals(have.get(pair.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code tags} are refused, or null: too many, empty keys, too long, control characters; none at all when a send. */
    String tagsProblem(Map<String, String> tags, boolean needed) {
        if (tags == null || tags.isEmpty()) {
            return needed ? "a tagged message needs tags" : null;
        }
        if (tags.size() > limits.tagsMax()) {
            return tags.size() + " tags is more than " + limits.tagsMax();
        }
        for (var pair : tags.entrySet()) {
            String k = pair.getKey();
            String v = pair.getValue();
            if (k == null || v == null || k.isEmpty()) {
                return "a tag needs a key and a value";
            }
            if (bytes(k) > limits.tagBytesMax() || bytes(v) > limits.tagBytesMax()) {
                return "a tag's key or value is longer than " + limits.tagBytesMax() + " bytes";
            }
            if (!SafeText.clean(k).equals(k) || !SafeText.clean(v).equals(v)) {
                return "a tag holds control characters";
            }
        }
        return null;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private void index(Member member) {
        open++;
        for (var pair : member.tags.entrySet()) {
            index.computeIfAbsent(new Tag(pair.getKey(), pair.getValue()), t -> new LinkedHashSet<>())
                    .add(member);
        }
    }

    private void unindex(Member member) {
        if (member.tags == null) {
            return;
        }
        open--;
        for (var pair : member.tags.entrySet()) {
            var tag = new Tag(pair.getKey(), pair.getValue());
            var holders = index.get(tag);
            if (holders != null) {
                holders.remove(member);
                if (holders.isEmpty()) {
                    index.remove(tag); // the index holds only pairs someone has
                }
            }
        }
        member.tags = null;
    }

    /** The client is gone: out of the index. */
    void left(Member member) {
        unindex(member);
    }

    /** WebSocket clients open now. */
    public int open() {
        return open;
    }

    /** Distinct key and value pairs among the open clients. */
    public int pairs() {
        return index.size();
    }

    public long opensRefused() {
        return opensRefused;
    }

    public long taggedSent() {
        return taggedSent;
    }

    public long taggedRefused() {
        return taggedRefused;
    }

    public long taggedDelivered() {
        return taggedDelivered;
    }
}
