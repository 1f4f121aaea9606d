package io.forkcast.supervisor.config;

import java.util.function.Function;

/**
 * One configuration key: its name in the config file ({@code snake_case}), its flag ({@code --kebab-case}),
 * its default and how a value is checked. A parser throws IllegalArgumentException with a short reason.
 */
record Setting(String key, String defaultValue, String description, Function<String, Object> parser) {

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

    static Function<String, Object> text() {
        return text -> text;
    }
}
