package io.forkcast.supervisor.front;

import io.forkcast.protocol.text.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Seed 000's broker clients: programs speaking one JSON object per line. A refusal is the line the worker's broker
 * front door writes before it closes, {@code {"command":"close","reason":...}}; its workers are told the largest
 * message data they take. Immutable.
 */
public final class BrokerDoor implements FrontDoorKind {
    public static final String NAME = "broker";

    /** broker_max_message_bytes, passed to every broker worker; fixed until a restart. */
    private final int maxMessageBytes;

    public BrokerDoor(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer refusal(String reason) {
        return ByteBuffer.wrap(
                ("{\"command\":\"close\",\"reason\":" + Json.quote(reason) + "}\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> workerArguments() {
        return List.of("--broker-max-message-bytes", Integer.toString(maxMessageBytes));
    }
}
