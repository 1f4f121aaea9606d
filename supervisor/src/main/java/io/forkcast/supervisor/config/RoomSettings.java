package io.forkcast.supervisor.config;

import io.forkcast.protocol.text.RoomNames;
import io.forkcast.supervisor.route.RoomBook;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * Parsers of the room settings: {@code default_room} (one room name) and {@code rooms}, a comma-separated list
 * of {@code NAME} or {@code NAME "TOPIC"} (a topic may hold commas; {@code \"} and {@code \\} inside it stand for
 * {@code "} and {@code \}). Names follow {@link RoomNames}, a leading {@code #} is dropped, each name once.
 */
final class RoomSettings {
    /** The longest topic, as in the chat. */
    static final int MAX_TOPIC_BYTES = 200;

    private RoomSettings() {}

    static Function<String, Object> name() {
        return text -> {
            String name = RoomNames.strip(text.strip());
            String problem = RoomNames.problem(name);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return name;
        };
    }

    static Function<String, Object> list() {
        return RoomSettings::parse;
    }

    /** How many rooms exist at start: the configured ones and the default room, each once. */
    static int count(String defaultRoom, List<?> rooms) {
        var keys = new HashSet<String>();
        keys.add(RoomNames.key(defaultRoom));
        for (Object room : rooms) {
            keys.add(RoomNames.key(((RoomBook.Configured) room).name()));
        }
        return keys.size();
    }

    static List<RoomBook.Configured> parse(String text) {
        var rooms = new ArrayList<RoomBook.Configured>();
        var keys = new HashSet<String>();
        int i = 0;
        int n = text.length();
        while (true) {
            i = skipSpaces(text, i);
            if (i >= n) {
                if (!rooms.isEmpty() && text.strip().endsWith(",")) {
                    throw new IllegalArgumentException("a comma with no room after it");
                }
                return List.copyOf(rooms);
            }
            int start = i;
            while (i < n && text.charAt(i) != ',' && text.charAt(i) != '"' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String name = RoomNames.strip(text.substring(start, i));
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a room name is missing at character " + (start + 1));
            }
            String problem = RoomNames.problem(name);
            if (problem != null) {
                throw new IllegalArgumentException(name + ": " + problem);
            }
            if (!keys.add(RoomNames.key(name))) {
                throw new IllegalArgumentException("room " + name + " is listed twice");
            }
            i = skipSpaces(text, i);
            String topic = null;
            if (i < n && text.charAt(i) == '"') {
                var sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("the topic of " + name + " has no closing quote");
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\' && i < n) {
                        c = text.charAt(i++);
                    }
                    if (Character.isISOControl(c)) {
                        throw new IllegalArgumentException("the topic of " + name + " has a control character");
                    }
                    sb.append(c);
                }
                topic = sb.toString();
                int bytes = topic.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_TOPIC_BYTES) {
                    throw new IllegalArgumentException(
                            "the topic of " + name + " has " + bytes + " bytes, at most " + MAX_TOPIC_BYTES);
                }
                if (topic.isBlank()) {
                    topic = null;
                }
                i = skipSpaces(text, i);
            }
            rooms.add(new RoomBook.Configured(name, topic));
            if (i < n) {
                if (text.charAt(i) != ',') {
                    throw new IllegalArgumentException("expected a comma after " + name + " at character " + (i + 1));
                }
                i++;
            }
        }
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
