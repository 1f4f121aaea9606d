package io.forkcast.worker.front.mqtt;

import io.forkcast.protocol.message.MqttFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connection's subscriptions as far as its worker knows them: the SUBSCRIBEs the supervisor has not answered
 * yet, and the filters it granted, which a resume after a supervisor restart tells it again. Confined to the
 * worker's loop thread.
 */
final class Granted {
    /** SUBSCRIBEs sent on, by packet id, until their SUBACK. */
    private final Map<Integer, List<MqttFilter>> asked = new HashMap<>();
    /** The filters granted, by filter. */
    private final Map<String, MqttFilter> granted = new LinkedHashMap<>();

    void asked(int packetId, List<MqttFilter> filters) {
        asked.put(packetId, filters);
    }

    /** The SUBACK of {@code packetId}: the filters whose code is below 0x80 are granted. */
    void answered(int packetId, List<Integer> codes) {
        var filters = asked.remove(packetId);
        for (int i = 0; filters != null && i < filters.size() && i < codes.size(); i++) {
            if (codes.get(i) < 0x80) {
                granted.put(filters.get(i).filter(), filters.get(i));
            }
        }
    }

    /** The SUBSCRIBE {@code packetId} never reached the supervisor. */
    void dropped(int packetId) {
        asked.remove(packetId);
    }

    void unsubscribed(List<String> filters) {
        filters.forEach(granted::remove);
    }

    List<MqttFilter> all() {
        return new ArrayList<>(granted.values());
    }
}
