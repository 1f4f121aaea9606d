package io.forkcast.protocol.message;

/**
 * One topic filter of an MQTT SUBSCRIBE, with its options (section 3.8.3.1), as the client asked for it.
 * Immutable.
 *
 * @param filter the topic filter, possibly with {@code +} and {@code #}, or a shared one ({@code $share/group/f})
 * @param qos the maximum QoS asked for: 0, 1 or 2
 * @param noLocal 5.0: not delivered messages this client published itself
 * @param retainAsPublished 5.0: deliver with the retain flag it was published with
 * @param retainHandling 5.0: 0 send retained messages on subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId 5.0's subscription identifier of the SUBSCRIBE (1 to 268,435,455); 0 for none
 */
public record MqttFilter(
        String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {}
