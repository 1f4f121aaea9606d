package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code $SYS/forkcast/NAME} topics: every mqtt_sys_interval, while there is any MQTT session, each figure of
 * the admin STATS command is published as a retained QoS 0 message, the number as decimal text; only figures that
 * changed since they were last published go out again. NAME is the figure's name with the {@code mqtt_} and
 * {@code broker_} groups as a level ({@code mqtt_connects} is {@code mqtt/connects}, {@code clients} stays). They are
 * kept in memory only, never in the store. No client may publish under {@code $} (see {@link #reserved}). Confined
 * to the loop thread.
 */
final class MqttSys {
    static final String PREFIX = "$SYS/forkcast/";

    private final MqttRouting routing;
    /** How often the figures go out; zero: never. Set at start and on reload. */
    private long intervalNanos;
    /** The STATS figures, by name; set once the admin port exists (none before). */
    private Supplier<? extends Map<String, Long>> figures = Map::of;
    /** The payload last published on each topic, so that only changes go out; cleared when turned off. */
    private final Map<String, String> published = new HashMap<>();
    /** When they last went out ({@link System#nanoTime}); valid while {@code due} is false. */
    private long lastAtNanos;
    /** True until the first publication after a start or a change of interval. */
    private boolean due = true;

    MqttSys(MqttRouting routing, Duration interval) {
        this.routing = routing;
        this.intervalNanos = interval.toNanos();
    }

    /** Whether a client's PUBLISH to {@code topic} is refused: {@code $} topics belong to the server (MQTT 4.7.2). */
    static boolean reserved(String topic) {
        return topic.startsWith("$");
    }

    /** The topic of the STATS figure {@code name}. */
    static String topic(String name) {
        for (String group : new String[] {"mqtt_", "broker_"}) {
            if (name.startsWith(group) && name.length() > group.length()) {
                return PREFIX + group.substring(0, group.length() - 1) + '/' + name.substring(group.length());
            }
        }
        return PREFIX + name;
    }

    /** Where the figures come from: the admin STATS command's counters, read on the loop thread. */
    void figures(Supplier<? extends Map<String, Long>> next) {
        figures = next;
    }

    /** A new interval (a reload); zero clears the retained topics, so that no stale figure stays. */
    void interval(Duration next, long now) {
        long nanos = next.toNanos();
        if (nanos == intervalNanos) {
            return;
        }
        intervalNanos = nanos;
        due = true;
        if (nanos == 0) {
            for (String topic : published.keySet()) {
                routing.retained().put(topic, new byte[0], 0, MqttProperties.NONE, now);
            }
            published.clear();
        }
    }

    /** Housekeeping: the figures go out when due and some MQTT session (connected or kept) could read them. */
    void tick(long now) {
        if (intervalNanos == 0 || routing.sessionCount() == 0 || (!due && now - lastAtNanos < intervalNanos)) {
            return;
        }
        due = false;
        lastAtNanos = now;
        for (var figure : figures.get().entrySet()) {
            String topic = topic(figure.getKey());
            String text = Long.toString(figure.getValue());
            if (text.equals(published.put(topic, text))) {
                continue;
            }
            byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
            routing.retained().put(topic, payload, 0, MqttProperties.NONE, now);
            routing.publish(null, topic, payload, 0, true, MqttProperties.NONE, now);
        }
    }
}
