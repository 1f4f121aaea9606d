package io.forkcast.supervisor.route;

/** The MQTT desk's counts since start, and what it holds now: a snapshot for STATS, METRICS and $SYS. Immutable. */
public record MqttStats(
        long connects,
        long refusals,
        long takeovers,
        long published,
        long delivered,
        long dropped,
        long wills,
        int sessions,
        int connected,
        int retained,
        int queued) {}
