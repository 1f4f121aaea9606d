package io.forkcast.worker.front.mqtt;

/**
 * A packet the connection cannot go on after: malformed, a protocol error, or over a limit. {@code reasonCode} is
 * the MQTT 5.0 reason code the server's DISCONNECT carries (a 3.1.1 connection is closed without one). Costs
 * only the client that sent it.
 */
public final class MqttException extends Exception {
    private static final long serialVersionUID = 1L;

    public static final int MALFORMED = 0x81;
    public static final int PROTOCOL_ERROR = 0x82;
    public static final int TOPIC_NAME_INVALID = 0x90;
    public static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    public static final int TOPIC_ALIAS_INVALID = 0x94;
    public static final int PACKET_TOO_LARGE = 0x95;
    public static final int PAYLOAD_FORMAT_INVALID = 0x99;

    private final int reasonCode;

    MqttException(int reasonCode, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
    }

    static MqttException malformed(String message) {
        return new MqttException(MALFORMED, message);
    }

    static MqttException protocol(String message) {
        return new MqttException(PROTOCOL_ERROR, message);
    }

    public int reasonCode() {
        return reasonCode;
    }
}
