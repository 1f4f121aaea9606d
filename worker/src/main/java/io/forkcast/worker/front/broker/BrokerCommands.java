package io.forkcast.worker.front.broker;

import io.forkcast.protocol.text.Json;
import io.forkcast.protocol.text.RoomNames;
import io.forkcast.worker.chat.Intent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one broker line means: a JSON object whose {@code command} names a request, checked field by field into an
 * {@link Intent}, or an {@link Intent.BrokerError} saying what is wrong with it. Unknown fields are ignored, as a
 * later client may send more. Checks only the line's shape; whether the client may do it now is the loop's
 * business. Stateless; any thread.
 */
public final class BrokerCommands {
    /** The roles a broker client logs in with. */
    public static final String SENDER = "sender";

    public static final String RECEIVER = "receiver";

    /** Ids in one ack: the BrokerAck frame stays far below the smallest frame limit. */
    public static final int MAX_ACK_IDS = 4096;

    /** An id has at most this many digits, so that it fits a {@code long}. */
    private static final int MAX_ID_DIGITS = 18;

    private BrokerCommands() {}

    /** The intent of {@code line}; {@code maxMessageBytes} bounds a send's data, in bytes of compact JSON. */
    public static Intent parse(String line, int maxMessageBytes) {
        Object value;
        try {
            value = Json.parse(line);
        } catch (Json.JsonException e) {
            return new Intent.BrokerError("error", e.getMessage());
        }
        if (!(value instanceof Map<?, ?> request)) {
            return new Intent.BrokerError("error", "not a JSON object");
        }
        Object command = request.get("command");
        if (command == null) {
            return new Intent.BrokerError("error", "missing command");
        }
        if (!(command instanceof String name)) {
            return new Intent.BrokerError("error", "command must be a string");
        }
        return switch (name) {
            case "login" -> login(request);
            case "send" -> send(request, maxMessageBytes);
            case "ack" -> ack(request);
            case "ping" -> new Intent.BrokerPing();
            case "logout" -> new Intent.BrokerLogout();
            default -> new Intent.BrokerError(name, "unknown command");
        };
    }

    private static Intent login(Map<?, ?> request) {
        Object user = request.get("username");
        Object password = request.get("password");
        Object role = request.get("role");
        if (!(user instanceof String u) || u.isEmpty()) {
            return error("login", "username must be a non-empty string");
        }
        if (!(password instanceof String p)) {
            return error("login", "password must be a string");
        }
        if (!SENDER.equals(role) && !RECEIVER.equals(role)) {
            return error("login", "role must be \"sender\" or \"receiver\"");
        }
        String r = (String) role;
        Object channel = request.get("channel");
        if (channel == null || channel == Json.NULL) {
            return RECEIVER.equals(r)
                    ? error("login", "a receiver needs a channel")
                    : new Intent.BrokerLogin(u, p, r, null);
        }
        String problem = channelProblem(channel);
        return problem != null ? error("login", problem) : new Intent.BrokerLogin(u, p, r, channelName(channel));
    }

    private static Intent send(Map<?, ?> request, int maxMessageBytes) {
        if (!request.containsKey("data")) {
            return error("send", "missing data");
        }
        Object channel = request.get("channel");
        String name = null;
        if (channel != null && channel != Json.NULL) {
            String problem = channelProblem(channel);
            if (problem != null) {
                return error("send", problem);
            }
            name = channelName(channel);
        }
        String data = Json.write(request.get("data"));
        if (wireBytes(data) > maxMessageBytes) {
            return error("send", "data too big (max " + maxMessageBytes + " bytes)");
        }
        return new Intent.BrokerSend(name, data);
    }

    private static Intent ack(Map<?, ?> request) {
        if (!(request.get("ids") instanceof List<?> list)) {
            return error("ack", "ids must be an array of positive integers");
        }
        if (list.size() > MAX_ACK_IDS) {
            return error("ack", "too many ids (max " + MAX_ACK_IDS + " per ack)");
        }
        var ids = new ArrayList<Long>(list.size());
        for (Object id : list) {
            long n = positive(id);
            if (n <= 0) {
                return error("ack", "ids must be an array of positive integers");
            }
            ids.add(n);
        }
        return new Intent.BrokerAck(List.copyOf(ids));
    }

    /** {@code id} as a positive integer written without fraction or exponent, or 0 when it is not one. */
    private static long positive(Object id) {
        if (!(id instanceof Json.Numeral n)) {
            return 0;
        }
        String text = n.text();
        if (text.isEmpty() || text.length() > MAX_ID_DIGITS || text.charAt(0) < '1' || text.charAt(0) > '9') {
            return 0;
        }
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return 0;
            }
        }
        return Long.parseLong(text);
    }

    /** Why {@code channel} is not a room name (a leading {@code #} allowed), or null when it is one. */
    private static String channelProblem(Object channel) {
        if (!(channel instanceof String s)) {
            return "channel must be a string";
        }
        String problem = RoomNames.problem(RoomNames.strip(s));
        return problem == null ? null : "bad channel: " + problem;
    }

    private static String channelName(Object channel) {
        return RoomNames.strip((String) channel);
    }

    /**
     * The bytes {@code text} takes in UTF-8, and in a hub frame: Kryo writes each char in 1 to 3 bytes, so a
     * character outside the BMP (a surrogate pair) is counted 6, as it goes over the hub link, not UTF-8's 4.
     */
    static long wireBytes(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static Intent error(String command, String reason) {
        return new Intent.BrokerError(command, reason);
    }
}
