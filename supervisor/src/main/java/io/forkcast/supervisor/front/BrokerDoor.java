package io.forkcast.supervisor.front;

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
                ("{\"command\":\"close\",\"reason\":" + quote(reason) + "}\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> workerArguments() {
        return List.of("--broker-max-message-bytes", Integer.toString(maxMessageBytes));
    }

    /** {@code text} as a JSON string, quotes included; control characters and U+2028/9 escaped. */
    public static String quote(String text) {
        var out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20
                            || c == '\u2028'
                            || c == '\u2029'
                            || (Character.isSurrogate(c) && !pairedAt(text, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** True when the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean pairedAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
