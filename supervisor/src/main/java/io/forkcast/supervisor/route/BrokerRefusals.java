package io.forkcast.supervisor.route;

import io.forkcast.protocol.text.RoomNames;
import java.nio.charset.StandardCharsets;

/** Why the broker refuses what a client asks, as one short reason fit to show it. Stateless. */
final class BrokerRefusals {
    private BrokerRefusals() {}

    /** Why {@code from} may not send this, fit to show it; null when it may. */
    static String ofSend(Member from, String channelName, String data, int maxBytes) {
        if (from.user == null || from.brokerRole == null) {
            return "log in first";
        }
        if (!BrokerDesk.SENDER.equals(from.brokerRole)) {
            return "a receiver cannot send; log in as a sender";
        }
        String name = channelName != null ? RoomNames.strip(channelName) : from.brokerChannel;
        if (name == null) {
            return "send needs a channel";
        }
        String problem = RoomNames.problem(name);
        if (problem != null) {
            return "bad channel: " + problem;
        }
        if (data == null || data.isEmpty()) {
            return "send needs data";
        }
        if (data.length() > maxBytes || data.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return "data too big (max " + maxBytes + " bytes)";
        }
        return null;
    }
}
