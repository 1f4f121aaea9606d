package io.forkcast.supervisor.admin;

/**
 * JSON text for {@code LIST JSON} and {@code STATS JSON}: one line, strings escaped so that the line is also safe
 * to embed in HTML ({@code <}, {@code >} and {@code &} as six-character escapes). Stateless.
 */
final class AdminJson {
    private AdminJson() {}

    static void string(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
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

    private static void separate(StringBuilder out) {
        char last = out.charAt(out.length() - 1);
        if (last != '{' && last != '[') {
            out.append(',');
        }
    }
}
