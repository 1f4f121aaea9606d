package io.forkcast.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/** The server's counters as {@code STATS} reports them, by their {@code snake_case} names, in the server's order. */
public record AdminStats(SequencedMap<String, Long> values) {
    public AdminStats {
        values = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(values));
    }

    /** The counter named {@code key}; fails if the server did not report it. */
    public long get(String key) {
        Long value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no counter named " + key + " in STATS; it has " + values.keySet());
        }
        return value;
    }

    public long uptimeSeconds() {
        return get("uptime");
    }

    public long clients() {
        return get("clients");
    }
}
