package io.forkcast.supervisor.federation;

import io.forkcast.protocol.message.Present;
import io.forkcast.protocol.message.RoomEntry;
import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.text.Json;
import io.forkcast.supervisor.route.Ask;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payloads of the directory's questions and answers ({@code forkcast.ask}), one compact JSON object each:
 *
 * <pre>
 *   question: {"v":1,"k":"who","node":"a","room":"lobby"}   (no room: everyone); k=rooms; k=clients;
 *             k=nick adds "nick"
 *   answer:   {"v":1,"node":"b","people":[{"node":"b","id":7,"name":"bob","pid":4121,"peer":"1.2.3.4:5","room":"x"}]}
 *             or "rooms":[{"name":"lobby","members":2,"topic":"t"}], "held":true, "lines":["7 1.2.3.4:5 pid=..."]
 * </pre>
 *
 * Stateless; any thread.
 */
final class DirectoryCodec {
    /** A question or its answer, with the node it comes from. */
    record From<T>(String node, T what) {}

    private DirectoryCodec() {}

    static byte[] encode(String node, Ask.Question question) {
        var map = head(node);
        switch (question) {
            case Ask.People p -> {
                map.put("k", "who");
                if (p.room() != null) {
                    map.put("room", p.room());
                }
            }
            case Ask.Rooms r -> map.put("k", "rooms");
            case Ask.Nick n -> {
                map.put("k", "nick");
                map.put("nick", n.nick());
            }
            case Ask.Clients c -> map.put("k", "clients");
        }
        return bytes(map);
    }

    static byte[] encode(String node, Ask.Answer answer) {
        var map = head(node);
        switch (answer) {
            case Ask.PeopleAnswer p -> {
                var people = new ArrayList<Object>(p.people().size());
                for (var each : p.people()) {
                    var who = each.who();
                    var m = new LinkedHashMap<String, Object>();
                    m.put("node", who.node());
                    m.put("id", who.clientId());
                    m.put("name", who.name());
                    m.put("pid", who.pid());
                    m.put("peer", each.peer());
                    if (each.room() != null) {
                        m.put("room", each.room());
                    }
                    people.add(m);
                }
                map.put("people", people);
            }
            case Ask.RoomsAnswer r -> {
                var rooms = new ArrayList<Object>(r.rooms().size());
                for (var each : r.rooms()) {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("name", each.name());
                    m.put("members", each.members());
                    if (each.topic() != null) {
                        m.put("topic", each.topic());
                    }
                    rooms.add(m);
                }
                map.put("rooms", rooms);
            }
            case Ask.NickAnswer n -> map.put("held", n.held());
            case Ask.ClientsAnswer c -> map.put("lines", List.copyOf(c.lines()));
        }
        return bytes(map);
    }

    static From<Ask.Question> question(byte[] payload) throws FederationCodec.BadMessage {
        var map = parse(payload);
        String node = text(map, "node");
        String kind = text(map, "k");
        Ask.Question question = switch (kind) {
            case "who" -> new Ask.People(optional(map, "room"));
            case "rooms" -> new Ask.Rooms();
            case "nick" -> new Ask.Nick(text(map, "nick"));
            case "clients" -> new Ask.Clients();
            default -> throw new FederationCodec.BadMessage("unknown question " + kind);
        };
        return new From<>(node, question);
    }

    static From<Ask.Answer> answer(byte[] payload) throws FederationCodec.BadMessage {
        var map = parse(payload);
        String node = text(map, "node");
        if (map.get("people") instanceof List<?> list) {
            var people = new ArrayList<Present>(list.size());
            for (var item : list) {
                var m = object(item);
                var who = new Sender(text(m, "node"), number(m, "id"), text(m, "name"), number(m, "pid"));
                people.add(new Present(who, text(m, "peer"), optional(m, "room")));
            }
            return new From<>(node, new Ask.PeopleAnswer(people));
        }
        if (map.get("rooms") instanceof List<?> list) {
            var rooms = new ArrayList<RoomEntry>(list.size());
            for (var item : list) {
                var m = object(item);
                rooms.add(new RoomEntry(text(m, "name"), (int) number(m, "members"), optional(m, "topic")));
            }
            return new From<>(node, new Ask.RoomsAnswer(rooms));
        }
        if (map.get("held") instanceof Boolean held) {
            return new From<>(node, new Ask.NickAnswer(held));
        }
        if (map.get("lines") instanceof List<?> list) {
            var lines = new ArrayList<String>(list.size());
            for (var item : list) {
                if (!(item instanceof String line)) {
                    throw new FederationCodec.BadMessage("a line that is not text");
                }
                lines.add(line);
            }
            return new From<>(node, new Ask.ClientsAnswer(lines));
        }
        throw new FederationCodec.BadMessage("an answer with nothing in it");
    }

    private static Map<String, Object> head(String node) {
        var map = new LinkedHashMap<String, Object>();
        map.put("v", FederationCodec.VERSION);
        map.put("node", node);
        return map;
    }

    private static byte[] bytes(Map<String, Object> map) {
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<?, ?> parse(byte[] payload) throws FederationCodec.BadMessage {
        if (payload.length > FederationCodec.MAX_PAYLOAD_BYTES * 4) {
            throw new FederationCodec.BadMessage(
                    "payload of " + payload.length + " bytes, limit " + FederationCodec.MAX_PAYLOAD_BYTES * 4);
        }
        Map<?, ?> map;
        try {
            map = object(Json.parse(new String(payload, StandardCharsets.UTF_8)));
        } catch (Json.JsonException e) {
            throw new FederationCodec.BadMessage(e.getMessage());
        }
        if (number(map, "v") != FederationCodec.VERSION) {
            throw new FederationCodec.BadMessage(
                    "version " + map.get("v") + ", this node reads " + FederationCodec.VERSION);
        }
        return map;
    }

    private static Map<?, ?> object(Object value) throws FederationCodec.BadMessage {
        if (!(value instanceof Map<?, ?> m)) {
            throw new FederationCodec.BadMessage("not a JSON object");
        }
        return m;
    }

    private static String text(Map<?, ?> map, String key) throws FederationCodec.BadMessage {
        if (!(map.get(key) instanceof String s)) {
            throw new FederationCodec.BadMessage("no text " + key);
        }
        return s;
    }

    private static String optional(Map<?, ?> map, String key) throws FederationCodec.BadMessage {
        return map.get(key) == null ? null : text(map, key);
    }

    private static long number(Map<?, ?> map, String key) throws FederationCodec.BadMessage {
        if (!(map.get(key) instanceof Json.Numeral numeral)) {
            throw new FederationCodec.BadMessage("no number " + key);
        }
        try {
            return Long.parseLong(numeral.text());
        } catch (NumberFormatException e) {
            throw new FederationCodec.BadMessage("not an integer " + key + ": " + numeral.text());
        }
    }
}
