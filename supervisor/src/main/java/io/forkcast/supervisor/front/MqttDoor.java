package io.forkcast.supervisor.front;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * MQTT clients (3.1.1 and 5.0) on mqtt_port. A client turned away before any worker read its CONNECT cannot be told
 * in its own version, so it is sent a 3.1.1 CONNACK with return code 3 (server unavailable), which a 5.0 client
 * reads as a malformed answer and closes on as well; the reason is only logged. Its workers are started with the
 * largest packet they take. Immutable.
 */
public final class MqttDoor implements FrontDoorKind {
    public static final String NAME = "mqtt";

    /** mqtt_max_packet_bytes; fixed until a restart. */
    private final int maxPacketBytes;

    public MqttDoor(int maxPacketBytes) {
        this.maxPacketBytes = maxPacketBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer refusal(String reason) {
        return ByteBuffer.wrap(new byte[] {0x20, 0x02, 0x00, 0x03});
    }

    @Override
    public List<String> workerArguments() {
        return List.of("--mqtt-max-packet-bytes", Integer.toString(maxPacketBytes));
    }
}
