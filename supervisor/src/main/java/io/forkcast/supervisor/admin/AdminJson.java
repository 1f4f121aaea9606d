package io.forkcast.supervisor.admin;

import io.forkcast.admin.Json;

/**
 * JSON text for {@code LIST JSON} and {@code STATS JSON}: one line, strings escaped so that the line is also safe
 * to embed in HTML ({@code <}, {@code >} and {@code &} as six-character escapes), with the same quoting as the
 * admin client's {@link Json}. Stateless.
 */
final class AdminJson {
    private AdminJson() {}

    static void string(StringBuilder out, String value) {
        out.append(Json.quote(value));
    }

    static void field(StringBuilder out, String name, long value) {
        separate(out);
        string(out, name);
        out.append(':').append(value);
    }

    static void field(StringBuilder out, String name, String value) {
        separate(out);
        string(out, name);
        out.append(':');
        string(out, value);
    }

    /** A number already written as JSON ({@code 1.25}), or null. */
    static void number(StringBuilder out, String name, String json) {
        separate(out);
        string(out, name);
        out.append(':').append(json == null ? "null" : json);
    }

    private static void separate(StringBuilder out) {
        char last = out.charAt(out.length() - 1);
        if (last != '{' && last != '[') {
            out.append(',');
        }
    }
}
