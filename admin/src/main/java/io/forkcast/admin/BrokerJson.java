package io.forkcast.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker client's JSON: a strict checker that copies a value without its insignificant white space, so that
 * a caller's data goes out on one line and a message's data comes back byte for byte as the server sent it
 * (numbers of any size and precision kept as written, which a parse into Long/Double would not). Stateless.
 */
final class BrokerJson {
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private BrokerJson(String text) {
        this.text = text;
    }

    /** {@code text} as one compact line; IllegalArgumentException if it is not exactly one JSON value. */
    static String compact(String text) {
        var json = new BrokerJson(text);
        var out = new StringBuilder(text.length());
        json.value(out, 0);
        json.end();
        return out.toString();
    }

    /** The members of a JSON object, each value as its compact text, in order; a repeated name keeps the last. */
    static Map<String, String> members(String text) {
        var json = new BrokerJson(text);
        var members = new LinkedHashMap<String, String>();
        json.space();
        json.expect('{');
        json.space();
        if (json.peek('}')) {
            json.pos++;
        } else {
            while (true) {
                json.space();
                if (!json.peek('"')) {
                    throw json.problem("expected a member name");
                }
                var name = new StringBuilder();
                json.string(name);
                json.space();
                json.expect(':');
                var value = new StringBuilder();
                json.value(value, 1);
                members.put((String) Json.parse(name.toString()), value.toString());
                json.space();
                if (json.peek(',')) {
                    json.pos++;
                } else {
                    json.expect('}');
                    break;
                }
            }
        }
        json.end();
        return members;
    }

    /** The elements of a JSON array, each as its compact text. */
    static List<String> elements(String text) {
        var json = new BrokerJson(text);
        var elements = new ArrayList<String>();
        json.space();
        json.expect('[');
        json.space();
        if (json.peek(']')) {
            json.pos++;
        } else {
            while (true) {
                var value = new StringBuilder();
                json.value(value, 1);
                elements.add(value.toString());
                json.space();
                if (json.peek(',')) {
                    json.pos++;
                } else {
                    json.expect(']');
                    break;
                }
            }
        }
        json.end();
        return elements;
    }

    private void value(StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw problem("nested deeper than " + MAX_DEPTH);
        }
        space();
        if (pos >= text.length()) {
            throw problem("end of text where a value should be");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{' -> container(out, depth, '}', true);
            case '[' -> container(out, depth, ']', false);
            case '"' -> string(out);
            case 't' -> literal(out, "true");
            case 'f' -> literal(out, "false");
            case 'n' -> literal(out, "null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number(out);
                } else {
                    throw problem("unexpected character '" + c + "'");
                }
            }
        }
    }

    private void container(StringBuilder out, int depth, char close, boolean object) {
        out.append(text.charAt(pos++));
        space();
        if (peek(close)) {
            out.append(text.charAt(pos++));
            return;
        }
        while (true) {
            if (object) {
                space();
                if (!peek('"')) {
                    throw problem("expected a member name");
                }
                string(out);
                space();
                expect(':');
                out.append(':');
            }
            value(out, depth + 1);
            space();
            if (peek(',')) {
                out.append(text.charAt(pos++));
            } else {
                expect(close);
                out.append(close);
                return;
            }
        }
    }

    private void string(StringBuilder out) {
        int start = pos++;
        while (true) {
            if (pos >= text.length()) {
                throw problem("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                out.append(text, start, pos);
                return;
            }
            if (c < 0x20) {
                throw problem("control character in a string");
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    throw problem("unterminated escape");
                }
                char e = text.charAt(pos++);
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (pos >= text.length() || Character.digit(text.charAt(pos++), 16) < 0) {
                            throw problem("bad \\u escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw problem("bad escape \\" + e);
                }
            }
        }
    }

    private void number(StringBuilder out) {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (digits() == 0) {
            throw problem("bad number");
        }
        if (peek('.')) {
            pos++;
            if (digits() == 0) {
                throw problem("bad number: no digit after '.'");
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (digits() == 0) {
                throw problem("bad number: no digit in the exponent");
            }
        }
        out.append(text, start, pos);
    }

    private int digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private void literal(StringBuilder out, String word) {
        if (!text.startsWith(word, pos)) {
            throw problem("unexpected word");
        }
        pos += word.length();
        out.append(word);
    }

    private void end() {
        space();
        if (pos != text.length()) {
            throw problem("text after the value");
        }
    }

    private void space() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw problem("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException problem(String what) {
        return new IllegalArgumentException("not JSON: " + what + " at offset " + pos);
    }
}
