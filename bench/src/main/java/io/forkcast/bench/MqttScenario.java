package io.forkcast.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MQTT reference of figure 10: the same {@link Relay} phases as {@link BrokerScenario} (same counts, windows and
 * data), through a {@link Mosquitto} of our own at QoS 1 (a PUBACK, like "sent", answers once the broker has the
 * message). One subscriber on topic {@code bench}, which PUBACKs each PUBLISH as soon as it has read it; one
 * publisher, whose window counts PUBLISHes not yet PUBACKed. The broker's own in-flight limit towards the subscriber
 * is its {@code max_inflight_messages} (20 by default; {@code max_inflight=N} sets it), as forkcast's record_limit (5)
 * bounds its receiver. Runs on the caller's thread; a daemon thread reads each connection (the subscriber's also
 * writes its PUBACKs).
 */
final class MqttScenario {
    private static final byte[] TOPIC = "bench".getBytes(StandardCharsets.US_ASCII);

    private MqttScenario() {}

    static Map<String, String> run(Daemon broker, Params p) throws IOException, InterruptedException {
        int warmup = p.integer("warmup", 2000);
        int countLatency = p.integer("count_latency", 2000);
        int count = p.integer("count", 20000);
        var relay = new Relay(warmup + 2 * countLatency + count, p.integer("data_bytes", 100));
        var notAcked = new AtomicLong();
        try (var subscriber = Mqtt.connect(
                        "127.0.0.1",
                        broker.port(),
                        "bench-sub-" + ProcessHandle.current().pid());
                var publisher = Mqtt.connect(
                        "127.0.0.1",
                        broker.port(),
                        "bench-pub-" + ProcessHandle.current().pid())) {
            subscriber.subscribe("bench");
            Thread.ofPlatform().daemon().name("mqtt-subscriber").start(() -> {
                try {
                    while (true) {
                        var packet = subscriber.read();
                        long now = System.nanoTime();
                        if (packet.type() != Mqtt.PUBLISH) {
                            continue;
                        }
                        byte[] b = packet.body();
                        int topicLength = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
                        int at = 2 + topicLength;
                        if (((packet.flags() >> 1) & 3) > 0) {
                            subscriber.puback(((b[at] & 0xff) << 8) | (b[at + 1] & 0xff));
                            at += 2;
                        }
                        relay.received(b, at, b.length, now);
                    }
                } catch (IOException ignored) {
                    // The run is over.
                }
            });
            Thread.ofPlatform().daemon().name("mqtt-publisher-acks").start(() -> {
                try {
                    while (true) {
                        var packet = publisher.read();
                        if (packet.type() == Mqtt.PUBACK) {
                            relay.answered(false);
                        } else {
                            notAcked.incrementAndGet();
                        }
                    }
                } catch (IOException ignored) {
                    // The run is over.
                }
            });
            Relay.Publisher publish = data -> publisher.publish(TOPIC, data);
            var r = new LinkedHashMap<String, String>();
            relay.phase(null, publish, warmup, 10, false, r);
            relay.phase("one_", publish, countLatency, 1, true, r);
            relay.phase("lat_", publish, countLatency, p.integer("window_latency", 1), false, r);
            relay.phase("tput_", publish, count, p.integer("window", 50), false, r);
            for (String key : new String[] {"lost", "duplicates", "reordered", "expected", "refused"}) {
                r.put(
                        key,
                        Long.toString(Long.parseLong(r.get("one_" + key))
                                + Long.parseLong(r.get("lat_" + key))
                                + Long.parseLong(r.get("tput_" + key))));
            }
            r.put("unexpected_packets", Long.toString(notAcked.get()));
            r.put("broker_alive", Boolean.toString(broker.alive()));
            return r;
        }
    }
}
