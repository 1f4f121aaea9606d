package io.forkcast.supervisor.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * One configuration key: its name in the config file ({@code snake_case}), its flag ({@code --kebab-case}),
 * its default, how a value is checked, and whether a reload (SIGHUP) applies a new value to the running server.
 * A parser throws IllegalArgumentException with a short reason.
 */
record Setting(String key, String defaultValue, String description, Function<String, Object> parser, boolean live) {

    Setting(String key, String defaultValue, String description, Function<String, Object> parser) {
        this(key, defaultValue, description, parser, false);
    }

    /** The same setting, marked as one that a reload applies without a restart. */
    Setting asLive() {
        return new Setting(key, defaultValue, description, parser, true);
    }

    String flag() {
        return "--" + key.replace('_', '-');
    }

    static Function<String, Object> intRange(long min, long max) {
        return text -> {
            long value;
            try {
                value = Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number: " + text);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(value + " is outside " + min + ".." + max);
            }
            return (int) value;
        };
    }

    /** {@code auto} (read as 0) or a whole number in {@code min..max}. */
    static Function<String, Object> autoOrIntRange(long min, long max) {
        var number = intRange(min, max);
        return text -> text.strip().equals("auto") ? (Object) 0 : number.apply(text);
    }

    /** {@code off} (read as -1) or a whole number in {@code min..max}. */
    static Function<String, Object> offOrIntRange(long min, long max) {
        var number = intRange(min, max);
        return text -> text.strip().equals("off") ? Integer.valueOf(-1) : number.apply(text);
    }

    /** One of {@code choices}, as written. */
    static Function<String, Object> oneOf(String... choices) {
        return text -> {
            String t = text.strip();
            for (String choice : choices) {
                if (choice.equals(t)) {
                    return choice;
                }
            }
            throw new IllegalArgumentException("not one of " + String.join(", ", choices) + ": " + text);
        };
    }

    static Function<String, Object> text() {
        return text -> text;
    }

    /** Printable text of at most {@code maxBytes} in UTF-8; no control characters. */
    static Function<String, Object> printable(int maxBytes) {
        return text -> {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                throw new IllegalArgumentException(bytes + " bytes is longer than " + maxBytes);
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isISOControl(c)) {
                    throw new IllegalArgumentException(String.format("control character U+%04X at %d", (int) c, i + 1));
                }
            }
            return text;
        };
    }

    /** A duration written {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}; a bare number is seconds. */
    static Function<String, Object> duration(Duration min, Duration max) {
        return text -> {
            String t = text.strip();
            int split = 0;
            while (split < t.length() && Character.isDigit(t.charAt(split))) {
                split++;
            }
            if (split == 0 || split > 9) {
                throw new IllegalArgumentException("not a duration (like 500ms, 30s, 5m): " + text);
            }
            long amount = Long.parseLong(t.substring(0, split));
            Duration value = switch (t.substring(split)) {
                case "ms" -> Duration.ofMillis(amount);
                case "", "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("not a duration (like 500ms, 30s, 5m): " + text);
            };
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(t + " is outside " + format(min) + ".." + format(max));
            }
            return value;
        };
    }

    /** A duration the way the config file writes it: {@code 30s}, {@code 500ms}. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillisPart() != 0) {
            return d.toMillis() + "ms";
        }
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + "h";
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }
}
