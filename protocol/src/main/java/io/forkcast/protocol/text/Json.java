package io.forkcast.protocol.text;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON (RFC 8259) with no dependency, for the broker's lines: {@link #parse} reads one value, {@link #write} gives
 * any value back in compact form, {@link #quote} makes a JSON string. Parsed values are a {@code
 * LinkedHashMap<String, Object>} for an object (keys in input order), a {@code List<Object>} for an array, a
 * {@link String}, a {@link Numeral} (the number's own text: nothing is rounded or overflows), a {@link Boolean} or
 * {@link #NULL}. The parser refuses what RFC 8259 leaves open: a key twice in one object, a lone surrogate (raw
 * or as {@code \\u} escapes), nesting deeper than {@link #MAX_DEPTH}, anything after the value. Stateless; any
 * thread.
 */
public final class Json {
    /** Arrays and objects nested deeper than this are refused, so that a line cannot exhaust the stack. */
    public static final int MAX_DEPTH = 64;

    /** JSON's {@code null}: a value of its own, so that a map can tell it from a missing key. */
    public static final Null NULL = Null.NULL;

    /** The type of {@link #NULL}. */
    public enum Null {
        NULL;

        @Override
        public String toString() {
            return "null";
        }
    }

    /**
     * A JSON number, kept as the text it was written in (already checked against the grammar), so that {@code
     * 1e999999} or a 40-digit id goes through unchanged. Make one with {@link #of}.
     */
    public record Numeral(String text) {
        /** A numeral for a Java integer. */
        public static Numeral of(long value) {
            return new Numeral(Long.toString(value));
        }

        /** The exact value; may be costly for a huge exponent, which is why it is not computed up front. */
        public BigDecimal toBigDecimal() {
            return new BigDecimal(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A line that is not one JSON value; the message says where, as {@code invalid JSON at 12: expected ':'}. */
    public static final class JsonException extends Exception {
        private static final long serialVersionUID = 1L;

        /** The offset, in chars of the parsed string, where the problem was found. */
        private final int offset;

        JsonException(int offset, String problem) {
            super("invalid JSON at " + offset + ": " + problem, null, false, false);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    private Json() {}

    /**
     * Parses {@code text} as exactly one JSON value, with whitespace around it. The caller bounds the length; this
     * bounds the nesting.
     */
    public static Object parse(String text) throws JsonException {
        var parser = new Parser(text);
        parser.skipSpace();
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected " + parser.describe() + " after the value");
        }
        return value;
    }

    /**
     * The compact form of {@code value}: a parsed value, or one built of maps with string keys, lists, strings,
     * {@link Numeral}s, {@link Integer}s, {@link Long}s, booleans and {@link #NULL}.
     *
     * @throws IllegalArgumentException for anything else (a Java {@code null} included)
     */
    public static String write(Object value) {
        var out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Appends the compact form of {@code value} to {@code out}; see {@link #write(Object)}. */
    // An instanceof chain, not a pattern switch: the worker loads this class (see the worker's package comment).
    @SuppressWarnings("IfChainToSwitch")
    public static void write(Object value, StringBuilder out) {
        if (value instanceof String s) {
            quote(s, out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (var entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("a JSON object key must be a string: " + entry.getKey());
                }
                out.append(first ? "" : ",");
                first = false;
                quote(key, out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Numeral || value instanceof Boolean || value instanceof Null) {
            out.append(value);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + (value == null ? "null" : value.getClass()));
        }
    }

    /** {@code text} as a JSON string, quotes included. */
    public static String quote(String text) {
        var out = new StringBuilder(text.length() + 2);
        quote(text, out);
        return out.toString();
    }

    /**
     * Appends {@code text} as a JSON string: control characters, U+2028 and U+2029 (line ends to JavaScript) as
     * {@code \\u} escapes; a lone surrogate, which no JSON reader should get, as U+FFFD.
     */
    public static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        appendHex(c, out.append("\\u"));
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Appends {@code c} as four lower-case hex digits (java.util.Formatter is not loaded for so little). */
    private static void appendHex(char c, StringBuilder out) {
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(Character.forDigit((c >> shift) & 0xF, 16));
        }
    }

    /** One parse: a cursor over the text. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object value(int depth) throws JsonException {
            if (pos >= text.length()) {
                throw error("unexpected end, expected a value");
            }
            char c = text.charAt(pos);
            if (c == '{' || c == '[') {
                if (depth >= MAX_DEPTH) {
                    throw error("nested deeper than " + MAX_DEPTH);
                }
                return c == '{' ? object(depth + 1) : array(depth + 1);
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            if (text.startsWith("true", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("false", pos)) {
                pos += 5;
                return false;
            }
            if (text.startsWith("null", pos)) {
                pos += 4;
                return NULL;
            }
            throw error("unexpected " + describe() + ", expected a value");
        }

        private Map<String, Object> object(int depth) throws JsonException {
            var map = new LinkedHashMap<String, Object>();
            pos++; // {
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                int keyAt = pos;
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value(depth);
                if (map.putIfAbsent(key, value) != null) {
                    throw new JsonException(keyAt, "duplicate key " + quote(key));
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array(int depth) throws JsonException {
            var list = new ArrayList<Object>();
            pos++; // [
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() throws JsonException {
            pos++; // "
            var out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c == '\\') {
                    escape(out);
                } else if (Character.isHighSurrogate(c)
                        && pos + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    out.append(c).append(text.charAt(pos + 1));
                    pos += 2;
                } else if (Character.isSurrogate(c)) {
                    throw error("lone surrogate");
                } else {
                    out.append(c);
                    pos++;
                }
            }
        }

        /** One escape at {@link #pos}, its backslash included; a surrogate escape must come in a pair. */
        private void escape(StringBuilder out) throws JsonException {
            int at = pos;
            char e = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
            pos += 2;
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    char c = hex4(at);
                    if (Character.isHighSurrogate(c)) {
                        if (!text.startsWith("\\u", pos)) {
                            throw new JsonException(at, "lone surrogate");
                        }
                        pos += 2;
                        char low = hex4(at);
                        if (!Character.isLowSurrogate(low)) {
                            throw new JsonException(at, "lone surrogate");
                        }
                        out.append(c).append(low);
                    } else if (Character.isLowSurrogate(c)) {
                        throw new JsonException(at, "lone surrogate");
                    } else {
                        out.append(c);
                    }
                }
                default -> throw new JsonException(at, "bad escape");
            }
        }

        /** Four hex digits at {@link #pos}, the escape at {@code at} named in an error. */
        private char hex4(int at) throws JsonException {
            if (pos + 4 > text.length()) {
                throw new JsonException(at, "bad \\u escape");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(pos + i), 16);
                if (digit < 0 || text.charAt(pos + i) > 'f') {
                    throw new JsonException(at, "bad \\u escape");
                }
                value = value * 16 + digit;
            }
            pos += 4;
            return (char) value;
        }

        /** RFC 8259's number: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, kept as text. */
        private Numeral number() throws JsonException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("expected a digit");
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    throw error("expected a digit after '.'");
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error("expected a digit in the exponent");
                }
            }
            return new Numeral(text.substring(start, pos));
        }

        private boolean digits() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            return pos > start;
        }

        void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void expect(char c) throws JsonException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        /** The char at {@link #pos} as an error shows it: {@code 'x'}, {@code U+0001} or {@code end}. */
        String describe() {
            if (pos >= text.length()) {
                return "end";
            }
            char c = text.charAt(pos);
            if (c < 0x20 || c > 0x7e) {
                var out = new StringBuilder("U+");
                appendHex(c, out);
                return out.toString().toUpperCase(Locale.ROOT);
            }
            return "'" + c + "'";
        }

        JsonException error(String problem) {
            return new JsonException(pos, problem);
        }
    }
}
