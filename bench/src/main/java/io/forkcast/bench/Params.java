package io.forkcast.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scenario's {@code key=value} parameters, each read with its default. Immutable after parsing. */
final class Params {
    private final Map<String, String> values = new LinkedHashMap<>();

    Params(List<String> args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
    }

    int integer(String key, int fallback) {
        String v = values.get(key);
        return v == null ? fallback : Integer.parseInt(v);
    }

    double decimal(String key, double fallback) {
        String v = values.get(key);
        return v == null ? fallback : Double.parseDouble(v);
    }

    String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }
}
