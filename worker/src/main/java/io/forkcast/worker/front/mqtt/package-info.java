/**
 * The MQTT client kind (3.1.1 and 5.0), by hand with the JDK alone: packets framed with their remaining length
 * checked before anything is buffered ({@link io.forkcast.worker.front.mqtt.PacketFramer}), read and validated
 * ({@link io.forkcast.worker.front.mqtt.PacketReader}, {@link io.forkcast.worker.front.mqtt.MqttPackets}), written
 * ({@link io.forkcast.worker.front.mqtt.PacketWriter}); {@link io.forkcast.worker.front.mqtt.MqttFrontDoor} joins
 * them into one connection's state. Sessions, subscriptions and routing are the supervisor's.
 */
package io.forkcast.worker.front.mqtt;
