package io.forkcast.supervisor.federation;

import io.forkcast.protocol.text.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload of an MQTT PUBLISH between nodes: one compact JSON object with its origin (node, incarnation, number,
 * for the duplicate window: a node whose filters overlap gets one NATS message per matching subscription), the
 * topic, the QoS, the retain flag and the payload's bytes in base64:
 *
 * <pre>
 *   {"v":1,"k":"mqtt","node":"a","inc":1764680000000,"n":42,"topic":"sensors/t1","qos":1,"retain":false,
 *    "payload":"MjEuNQ=="}
 * </pre>
 *
 * Stateless; any thread.
 */
final class MqttCodec {
    static final String KIND = "mqtt";

    /** What arrived; {@code payload} is its own copy, read only. */
    @SuppressWarnings("ArrayRecordComponent") // decoded once, handed to the loop, never changed
    record Envelope(String node, long incarnation, long n, String topic, int qos, boolean retain, byte[] payload) {}

    private MqttCodec() {}

    static byte[] encode(String node, long incarnation, long n, String topic, byte[] payload, int qos, boolean retain) {
        var map = new LinkedHashMap<String, Object>();
        map.put("v", FederationCodec.VERSION);
        map.put("k", KIND);
        map.put("node", node);
        map.put("inc", incarnation);
        map.put("n", n);
        map.put("topic", topic);
        map.put("qos", qos);
        map.put("retain", retain);
        map.put("payload", Base64.getEncoder().encodeToString(payload));
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    static Envelope decode(byte[] bytes) throws FederationCodec.BadMessage {
        if (bytes.length > FederationCodec.MAX_PAYLOAD_BYTES * 2) {
            throw new FederationCodec.BadMessage(
                    "payload of " + bytes.length + " bytes, limit " + FederationCodec.MAX_PAYLOAD_BYTES * 2);
        }
        Map<?, ?> map;
        try {
            if (!(Json.parse(new String(bytes, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
                throw new FederationCodec.BadMessage("not a JSON object");
            }
            map = m;
        } catch (Json.JsonException e) {
            throw new FederationCodec.BadMessage(e.getMessage());
        }
        if (number(map, "v") != FederationCodec.VERSION || !KIND.equals(map.get("k"))) {
            throw new FederationCodec.BadMessage("not an MQTT message of version " + FederationCodec.VERSION);
        }
        if (!(map.get("retain") instanceof Boolean retain)) {
            throw new FederationCodec.BadMessage("no flag retain");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(text(map, "payload"));
        } catch (IllegalArgumentException e) {
            throw new FederationCodec.BadMessage("payload not base64");
        }
        return new Envelope(
                text(map, "node"),
                number(map, "inc"),
                number(map, "n"),
                text(map, "topic"),
                (int) number(map, "qos"),
                retain,
                payload);
    }

    private static String text(Map<?, ?> map, String key) throws FederationCodec.BadMessage {
        if (!(map.get(key) instanceof String s)) {
            throw new FederationCodec.BadMessage("no text " + key);
        }
        return s;
    }

    private static long number(Map<?, ?> map, String key) throws FederationCodec.BadMessage {
        if (!(map.get(key) instanceof Json.Numeral numeral)) {
            throw new FederationCodec.BadMessage("no number " + key);
        }
        try {
            return Long.parseLong(numeral.text());
        } catch (NumberFormatException e) {
            throw new FederationCodec.BadMessage("not an integer " + key + ": " + numeral.text());
        }
    }
}
