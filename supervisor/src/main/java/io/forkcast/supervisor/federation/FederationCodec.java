package io.forkcast.supervisor.federation;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.Json;
import io.forkcast.supervisor.route.PrivateLine;
import io.forkcast.supervisor.route.RoomEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload of a federation message: one compact JSON object, written once per event and read on a NATS
 * thread. Every message carries its origin node, that node's incarnation (its start, in ms) and a number that
 * grows by one per message of that incarnation, so that a node drops its own and anyone's duplicates:
 *
 * <pre>
 *   {"v":1,"k":"say","node":"a","inc":1764680000000,"n":42,"r":17,"t":1764680012345,"room":"lobby",
 *    "id":7,"name":"bob","pid":4121,"seq":3,"style":"say","text":"hi"}
 *   r (the event's number in its room, this incarnation) and t (when, epoch ms) on say, join, leave, rename;
 *   k=join adds "from" (a room, or absent), k=leave "to", k=rename "old"; k=alive has node, inc and n only;
 *   k=here (someone in the room, for a node that asked) as join; k=ask has room only;
 *   k=topic (a /topic) adds "text"; k=topic_is (the room's topic, for a node that asked) likewise, id 0;
 *   k=private (a request on forkcast.private) has id, name, pid, seq, text and "to" or "to_node" + "to_id"
 * </pre>
 *
 * Stateless; any thread.
 */
final class FederationCodec {
    /** The largest payload read; a bigger one is refused before it is parsed. */
    static final int MAX_PAYLOAD_BYTES = 256 * 1024;

    static final int VERSION = 1;

    /**
     * What a message says, with where it comes from: a room event, a private line, or (both null) a heartbeat.
     */
    record Envelope(
            String node,
            long incarnation,
            long n,
            RoomEvent event,
            PrivateLine line,
            String asked,
            long roomNumber,
            long sentMillis) {
        Envelope(String node, long incarnation, long n, RoomEvent event, PrivateLine line, String asked) {
            this(node, incarnation, n, event, line, asked, 0, 0);
        }

        Envelope(String node, long incarnation, long n, RoomEvent event) {
            this(node, incarnation, n, event, null, null);
        }
    }

    /** A payload that is not a federation message of ours. */
    static final class BadMessage extends Exception {
        private static final long serialVersionUID = 1L;

        BadMessage(String message) {
            super(message);
        }
    }

    private FederationCodec() {}

    /** The kind of {@code event}, the last token of its subject. */
    static String kind(RoomEvent event) {
        return switch (event) {
            case RoomEvent.Said s -> "say";
            case RoomEvent.Joined j -> "join";
            case RoomEvent.Left l -> "leave";
            case RoomEvent.Here h -> "here";
            case RoomEvent.Renamed r -> "rename";
            case RoomEvent.Topic t -> t.shown() ? "topic" : "topic_is";
        };
    }

    static byte[] encode(String node, long incarnation, long n, RoomEvent event) {
        return encode(node, incarnation, n, event, 0, 0);
    }

    /**
     * A room event with {@code roomNumber} (r), its number among the events of this incarnation in its room (from 1; 0: none),
     * and {@code t}, when it was said (epoch ms at its node): receivers put each node's events of a room back in
     * order by r and measure the lag by t. Both optional in version 1.
     */
    static byte[] encode(String node, long incarnation, long n, RoomEvent event, long roomNumber, long t) {
        var map = head(event == null ? "alive" : kind(event), node, incarnation, n);
        if (roomNumber > 0) {
            map.put("r", roomNumber);
            map.put("t", t);
        }
        if (event != null) {
            var who = event.who();
            map.put("room", event.room());
            map.put("id", who.clientId());
            map.put("name", who.name());
            map.put("pid", who.pid());
            switch (event) {
                case RoomEvent.Said s -> {
                    map.put("seq", s.seq());
                    map.put("style", s.style() == Style.ACT ? "act" : "say");
                    map.put("text", s.text());
                }
                case RoomEvent.Joined j -> putIfSet(map, "from", j.from());
                case RoomEvent.Left l -> putIfSet(map, "to", l.to());
                case RoomEvent.Here h -> {}
                case RoomEvent.Renamed r -> map.put("old", r.oldName());
                case RoomEvent.Topic topic -> map.put("text", topic.text());
            }
        }
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    /** A node that has just started listening to the room {@code room} asks who is there. */
    static byte[] encodeAsk(String node, long incarnation, long n, String room) {
        var map = head("ask", node, incarnation, n);
        map.put("room", room);
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    /** A private line: {@code to} the nickname, or {@code to_node} and {@code to_id} for a reply. */
    static byte[] encodePrivate(String node, long incarnation, long n, PrivateLine line) {
        var map = head("private", node, incarnation, n);
        var from = line.from();
        map.put("id", from.clientId());
        map.put("name", from.name());
        map.put("pid", from.pid());
        map.put("seq", line.seq());
        putIfSet(map, "to", line.toNick());
        if (line.toClient() != null) {
            map.put("to_node", line.toClient().node());
            map.put("to_id", line.toClient().clientId());
        }
        map.put("text", line.text());
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> head(String kind, String node, long incarnation, long n) {
        var map = new LinkedHashMap<String, Object>();
        map.put("v", VERSION);
        map.put("k", kind);
        map.put("node", node);
        map.put("inc", incarnation);
        map.put("n", n);
        return map;
    }

    private static void putIfSet(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static Envelope decode(byte[] payload) throws BadMessage {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new BadMessage("payload of " + payload.length + " bytes, limit " + MAX_PAYLOAD_BYTES);
        }
        Map<?, ?> map;
        try {
            if (!(Json.parse(new String(payload, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
                throw new BadMessage("not a JSON object");
            }
            map = m;
        } catch (Json.JsonException e) {
            throw new BadMessage(e.getMessage());
        }
        if (number(map, "v") != VERSION) {
            throw new BadMessage("version " + map.get("v") + ", this node reads " + VERSION);
        }
        String kind = text(map, "k");
        String node = text(map, "node");
        long incarnation = number(map, "inc");
        long n = number(map, "n");
        if (kind.equals("alive")) {
            return new Envelope(node, incarnation, n, null);
        }
        if (kind.equals("ask")) {
            return new Envelope(node, incarnation, n, null, null, text(map, "room"));
        }
        if (kind.equals("private")) {
            var from = new Sender(node, number(map, "id"), text(map, "name"), number(map, "pid"));
            String toNode = optional(map, "to_node");
            var toClient = toNode == null ? null : new Address.Client(toNode, number(map, "to_id"));
            var line = new PrivateLine(from, number(map, "seq"), optional(map, "to"), toClient, text(map, "text"));
            return new Envelope(node, incarnation, n, null, line, null);
        }
        String room = text(map, "room");
        var who = new Sender(node, number(map, "id"), text(map, "name"), number(map, "pid"));
        RoomEvent event = switch (kind) {
            case "say" ->
                new RoomEvent.Said(
                        room,
                        who,
                        number(map, "seq"),
                        "act".equals(text(map, "style")) ? Style.ACT : Style.SAY,
                        text(map, "text"));
            case "join" -> new RoomEvent.Joined(room, who, optional(map, "from"));
            case "leave" -> new RoomEvent.Left(room, who, optional(map, "to"));
            case "here" -> new RoomEvent.Here(room, who);
            case "rename" -> new RoomEvent.Renamed(room, who, text(map, "old"));
            case "topic" -> new RoomEvent.Topic(room, who, text(map, "text"), true);
            case "topic_is" -> new RoomEvent.Topic(room, who, text(map, "text"), false);
            default -> throw new BadMessage("unknown kind " + kind);
        };
        long r = map.get("r") == null ? 0 : number(map, "r");
        long t = map.get("t") == null ? 0 : number(map, "t");
        return new Envelope(node, incarnation, n, event, null, null, r, t);
    }

    private static String text(Map<?, ?> map, String key) throws BadMessage {
        if (!(map.get(key) instanceof String s)) {
            throw new BadMessage("no text " + key);
        }
        return s;
    }

    private static String optional(Map<?, ?> map, String key) throws BadMessage {
        return map.get(key) == null ? null : text(map, key);
    }

    private static long number(Map<?, ?> map, String key) throws BadMessage {
        if (!(map.get(key) instanceof Json.Numeral numeral)) {
            throw new BadMessage("no number " + key);
        }
        try {
            return Long.parseLong(numeral.text());
        } catch (NumberFormatException e) {
            throw new BadMessage("not an integer " + key + ": " + numeral.text());
        }
    }
}
