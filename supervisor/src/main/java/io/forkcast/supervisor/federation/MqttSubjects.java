package io.forkcast.supervisor.federation;

import java.util.ArrayList;
import java.util.List;

/**
 * MQTT topics and filters as NATS subjects: {@code a/b/c} is {@code forkcast.mqtt.a.b.c}, a filter's {@code +} is
 * NATS's {@code *} and a last {@code #} is {@code >} (with the parent level too, which MQTT's {@code #} matches and
 * NATS's {@code >} does not). A level is one token: the characters NATS does not allow in one, and {@code ~} itself,
 * become {@code ~} and two hex digits ({@code .} is {@code ~2e}, as a room name's dot is {@code ~}), and an empty
 * level is {@code ~} alone, so the mapping is one to one. Stateless.
 */
final class MqttSubjects {
    static final String PREFIX = Subjects.PREFIX + "mqtt";

    private MqttSubjects() {}

    /** Where a PUBLISH to {@code topic} goes. */
    static String topic(String topic) {
        var out = new StringBuilder(PREFIX.length() + topic.length() + 8).append(PREFIX);
        for (String level : topic.split("/", -1)) {
            token(level, out.append('.'));
        }
        return out.toString();
    }

    /** The subjects a node listens to for {@code filter} (a match part: no {@code $share/}): one, or two for #. */
    static List<String> filter(String filter) {
        var out = new StringBuilder(PREFIX);
        var levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#") && i == levels.length - 1) {
                var subjects = new ArrayList<String>(2);
                if (i > 0) {
                    subjects.add(out.toString()); // "a/#" matches "a" itself
                }
                subjects.add(out.append(".>").toString());
                return subjects;
            }
            out.append('.');
            if (level.equals("+")) {
                out.append('*');
            } else {
                token(level, out);
            }
        }
        return List.of(out.toString());
    }

    private static void token(String level, StringBuilder out) {
        if (level.isEmpty()) {
            out.append('~');
            return;
        }
        for (int i = 0; i < level.length(); i++) {
            char c = level.charAt(i);
            if (c == '.' || c == '*' || c == '>' || c == '~' || c <= ' ' || c == 0x7f) {
                out.append('~').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                out.append(c);
            }
        }
    }
}
