package io.forkcast.supervisor.federation;

import io.forkcast.protocol.text.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload of a broker message between nodes: one compact JSON object with its origin (node, incarnation and a
 * number that grows by one per broker message of that incarnation, for the duplicate window), the channel's key and
 * the message's data, the sender's compact JSON, carried as a string so that it arrives exactly as it was sent:
 *
 * <pre>
 *   {"v":1,"k":"broker","node":"a","inc":1764680000000,"n":42,"channel":"sms","data":"{\"n\":1}"}
 * </pre>
 *
 * Stateless; any thread.
 */
final class BrokerCodec {
    static final String KIND = "broker";

    /** A broker message from {@code node}. */
    record Envelope(String node, long incarnation, long n, String channel, String data) {}

    private BrokerCodec() {}

    static byte[] encode(String node, long incarnation, long n, String channel, String data) {
        var map = new LinkedHashMap<String, Object>();
        map.put("v", FederationCodec.VERSION);
        map.put("k", KIND);
        map.put("node", node);
        map.put("inc", incarnation);
        map.put("n", n);
        map.put("channel", channel);
        map.put("data", data);
        return Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    static Envelope decode(byte[] payload) throws FederationCodec.BadMessage {
        if (payload.length > FederationCodec.MAX_PAYLOAD_BYTES) {
            throw new FederationCodec.BadMessage(
                    "payload of " + payload.length + " bytes, limit " + FederationCodec.MAX_PAYLOAD_BYTES);
        }
        Map<?, ?> map;
        try {
            if (!(Json.parse(new String(payload, StandardCharsets.UTF_8)) instanceof Map<?, ?> m)) {
                throw new FederationCodec.BadMessage("not a JSON object");
            }
            map = m;
        } catch (Json.JsonException e) {
            throw new FederationCodec.BadMessage(e.getMessage());
        }
        if (number(map, "v") != FederationCodec.VERSION) {
            throw new FederationCodec.BadMessage(
                    "version " + map.get("v") + ", this node reads " + FederationCodec.VERSION);
        }
        if (!KIND.equals(text(map, "k"))) {
            throw new FederationCodec.BadMessage("kind " + map.get("k") + " on a broker subject");
        }
        return new Envelope(
                text(map, "node"), number(map, "inc"), number(map, "n"), text(map, "channel"), text(map, "data"));
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
