package io.forkcast.supervisor.config;

import java.time.Duration;
import java.util.Map;

/**
 * How a node of a federation keeps its room events durable in JetStream (docs/federation.md): the stream's bounds
 * and this node's outbox of events not yet acknowledged. Immutable.
 *
 * @param outboxMax events kept while JetStream has not acknowledged them (NATS down); past it they are dropped
 * @param maxAge how long the stream FORKCAST_ROOMS keeps an event, for nodes catching up after a reconnection
 * @param maxBytes the stream's size bound, in bytes; the oldest events go first
 */
public record StreamSettings(int outboxMax, Duration maxAge, long maxBytes) {
    /** Defaults, for tests. */
    public static final StreamSettings DEFAULTS = new StreamSettings(10_000, Duration.ofHours(24), 256L << 20);

    static StreamSettings of(Map<String, Object> values) {
        return new StreamSettings(
                (Integer) values.get("federation_outbox_max"),
                (Duration) values.get("federation_stream_max_age"),
                ((Integer) values.get("federation_stream_max_mb")).longValue() << 20);
    }
}
