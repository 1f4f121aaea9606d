package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT persistent sessions across a kill -9 of the supervisor, with Eclipse Paho (3.1.1) as the devices: a connected
 * subscriber keeps receiving through its worker, which outlives the supervisor; an offline session's queued
 * messages come from the store to the successor. Nothing a publisher got its PUBACK or PUBCOMP for is lost, and a
 * QoS 2 message arrives exactly once.
 */
@Timeout(240)
class MqttRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A Paho client connected to {@code server}'s MQTT port; {@code received} gets "topic payload" in order. */
    private static MqttClient paho(ForkcastServer server, String clientId, boolean clean, List<String> received)
            throws MqttException {
        var client =
                new MqttClient("tcp://" + server.host() + ":" + server.mqttPort(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                received.add("LOST " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // Publishers wait on their tokens.
            }
        });
        client.setTimeToWait(WAIT.toMillis());
        var options = new MqttConnectOptions();
        options.setCleanSession(clean);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(0);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.connect(options);
        return client;
    }

    private static void publish(MqttClient publisher, String topic, String payload, int qos) throws MqttException {
        publisher.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false); // returns on PUBACK/PUBCOMP
    }

    private static void awaitAll(List<String> received, List<String> expected) {
        Await.until(
                WAIT,
                "every message acknowledged to its publisher, %s",
                () -> received.containsAll(expected) ? Boolean.TRUE : null,
                () -> "expected " + expected + "\nreceived " + received);
    }

    private static Map<String, Long> counts(List<String> received) {
        return received.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** Kills the supervisor with SIGKILL, its workers kept (and cleaned up at close); waits for it to be gone. */
    private static void killSupervisor(ForkcastServer server) throws Exception {
        server.track(server.workerPids());
        ForkcastServer.kill(server.pid(), "KILL");
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the supervisor did not die");
    }

    @Test
    void aConnectedPersistentSubscriberKeepsReceivingAcrossAKillOfTheSupervisor() throws Exception {
        liveSubscriberAcrossAKill(false);
    }

    /**
     * A QoS 2 PUBLISH the first supervisor routed but had not answered (PUBREC) when it was killed is sent again by
     * the publisher's worker from its backlog; the successor finds its packet id in the store (written before it
     * was routed) and answers it without routing it again: the subscriber gets it once.
     */
    @Test
    void aQos2PublishInFlightAtTheKillIsRoutedExactlyOnce() throws Exception {
        liveSubscriberAcrossAKill(true);
    }

    /** {@code burstOnce}: whether the burst in flight at the kill must arrive exactly once too (QoS 2). */
    private static void liveSubscriberAcrossAKill(boolean burstOnce) throws Exception {
        var received = new CopyOnWriteArrayList<String>();
        var first = ForkcastServer.start("--mqtt-port", "0");
        try {
            var subscriber = paho(first, "sub-live", false, received);
            subscriber.subscribe(new String[] {"live/q1", "live/q2"}, new int[] {1, 2});
            var publisher = paho(first, "pub-live", true, new CopyOnWriteArrayList<>());
            var acked = new ArrayList<String>();
            for (int i = 0; i < 5; i++) {
                publish(publisher, "live/q1", "before " + i, 1);
                acked.add("live/q1 before " + i);
                publish(publisher, "live/q2", "before " + i, 2);
                acked.add("live/q2 before " + i);
            }
            awaitAll(received, acked);

            // A burst in flight at the kill: some of it answered by the first supervisor, the rest by the successor.
            var burster = new MqttAsyncClient(
                    "tcp://" + first.host() + ":" + first.mqttPort(), "pub-burst", new MemoryPersistence());
            var burstOptions = new MqttConnectOptions();
            burstOptions.setMaxInflight(100);
            burstOptions.setKeepAliveInterval(0);
            burstOptions.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            burster.connect(burstOptions).waitForCompletion(WAIT.toMillis());
            var burst = new ArrayList<IMqttDeliveryToken>();
            var burstMessages = new ArrayList<String>();
            for (int i = 0; i < 20; i++) {
                for (int qos = 1; qos <= 2; qos++) {
                    String payload = "burst " + i;
                    burst.add(burster.publish("live/q" + qos, payload.getBytes(StandardCharsets.UTF_8), qos, false));
                    burstMessages.add("live/q" + qos + " " + payload);
                }
            }
            killSupervisor(first);
            System.out.println("burst answered before the kill: "
                    + burst.stream().filter(IMqttDeliveryToken::isComplete).count() + " of " + burst.size());
            // Published while no supervisor runs: the worker holds it; its PUBCOMP comes once the successor has it.
            var gapAcked = new CopyOnWriteArrayList<String>();
            var gapFailure = new CopyOnWriteArrayList<Throwable>();
            var gap = Thread.ofPlatform().name("it-gap-publisher").start(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        publish(publisher, "live/q1", "gap " + i, 1);
                        gapAcked.add("live/q1 gap " + i);
                        publish(publisher, "live/q2", "gap " + i, 2);
                        gapAcked.add("live/q2 gap " + i);
                    }
                } catch (MqttException e) {
                    gapFailure.add(e);
                }
            });
            try (var second = ForkcastServer.startAfter(first)) {
                gap.join(WAIT.toMillis());
                assertEquals(List.of(), gapFailure, "publishes made while no supervisor ran");
                assertEquals(6, gapAcked.size(), gapAcked.toString());
                acked.addAll(gapAcked);
                for (var token : burst) {
                    token.waitForCompletion(WAIT.toMillis()); // its PUBACK or PUBCOMP, from whichever supervisor
                }
                acked.addAll(burstMessages);
                second.awaitLog("event=adopt "); // the MQTT clients' workers, taken by the successor
                for (int i = 0; i < 5; i++) {
                    publish(publisher, "live/q1", "after " + i, 1);
                    acked.add("live/q1 after " + i);
                    publish(publisher, "live/q2", "after " + i, 2);
                    acked.add("live/q2 after " + i);
                }
                awaitAll(received, acked);
                var counts = counts(received);
                for (String m : acked) {
                    // Each PUBLISH answered before the next was sent is routed once; the burst too when burstOnce.
                    if (m.startsWith("live/q2 ") && (burstOnce || !burstMessages.contains(m))) {
                        assertEquals(1L, counts.get(m), "QoS 2 exactly once: " + m + " in " + received);
                    }
                }
                assertTrue(received.stream().noneMatch(m -> m.startsWith("LOST")), received.toString());
                subscriber.disconnect();
                publisher.disconnect();
                burster.disconnect().waitForCompletion(WAIT.toMillis());
            }
        } finally {
            first.close();
        }
    }

    @Test
    void anOfflineSessionsQueuedQos1MessagesComeFromTheStoreAfterAKill() throws Exception {
        offlineSessionSurvivesAKill(1, 20);
    }

    @Test
    void anOfflineSessionsQueuedQos2MessagesComeExactlyOnceAfterAKill() throws Exception {
        offlineSessionSurvivesAKill(2, 20);
    }

    private static void offlineSessionSurvivesAKill(int qos, int messages) throws Exception {
        String topic = "offline/q" + qos;
        String clientId = "sub-offline-" + qos;
        var first = ForkcastServer.start("--mqtt-port", "0");
        try {
            var subscriber = paho(first, clientId, false, new CopyOnWriteArrayList<>());
            subscriber.subscribe(topic, qos);
            subscriber.disconnect();
            subscriber.close();
            var publisher = paho(first, "pub-offline-" + qos, true, new CopyOnWriteArrayList<>());
            var acked = new ArrayList<String>();
            for (int i = 0; i < messages; i++) {
                publish(publisher, topic, "m" + i, qos);
                acked.add(topic + " m" + i);
            }
            publisher.disconnect();
            publisher.close();

            killSupervisor(first);
            try (var second = ForkcastServer.startAfter(first)) {
                var received = new CopyOnWriteArrayList<String>();
                var client = new MqttClient(
                        "tcp://" + second.host() + ":" + second.mqttPort(), clientId, new MemoryPersistence());
                client.setTimeToWait(WAIT.toMillis());
                client.setCallback(new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                        received.add("LOST " + cause);
                    }

                    @Override
                    public void messageArrived(String t, MqttMessage message) {
                        received.add(t + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                        // Nothing published here.
                    }
                });
                var options = new MqttConnectOptions();
                options.setCleanSession(false);
                options.setKeepAliveInterval(0);
                options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
                var token = client.connectWithResult(options);
                assertTrue(token.getSessionPresent(), "session present after the restart");
                awaitAll(received, acked);
                assertEquals(acked, received, "each once, in order");
                client.disconnect();
                client.close();
            }
        } finally {
            first.close();
        }
    }
}
