package io.forkcast.worker.front.websocket;

import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.mqtt.MqttFrontDoor;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6, the same for 3.1.1): the client's binary messages are a byte stream of
 * MQTT packets (a message may hold several, or part of one), fed to an {@link MqttFrontDoor}, whose packets go
 * out one binary frame each. What the door does not take yet (the rest of a message while its CONNECT awaits the
 * CONNACK, or while the hub's backlog is full) is kept here, and the frame decoder stops until it is taken.
 * Confined to the worker's loop thread.
 */
final class MqttTunnel {
    private final MqttFrontDoor door;
    /** The part of a message the door has not taken; null when it took everything. */
    private ByteBuffer leftover;

    /** A tunnel whose door is greeted at once: the WebSocket opening was the connection's start. */
    MqttTunnel(ClientOutput out, int maxPacketBytes, LongSupplier clock, String peer, long pid) {
        this.door =
                new MqttFrontDoor(packet -> out.append(WsFrames.frame(WsFrames.BINARY, packet)), maxPacketBytes, clock);
        door.greet(peer, pid);
    }

    MqttFrontDoor door() {
        return door;
    }

    /** Feeds the door what it left last time; true when the decoder may go on with the next message. */
    boolean drain(Consumer<Intent> intents) {
        if (leftover != null) {
            door.feed(leftover, intents);
            if (leftover.hasRemaining()) {
                return false;
            }
            leftover = null;
        }
        return !door.connecting();
    }

    /** A binary message from the client; true when the decoder may go on with the next one. */
    boolean message(byte[] data, Consumer<Intent> intents) {
        var in = ByteBuffer.wrap(data);
        door.feed(in, intents);
        leftover = in.hasRemaining() ? in : null;
        return leftover == null && !door.connecting();
    }

    /** True while part of a message waits for the door. */
    boolean holds() {
        return leftover != null;
    }
}
