package io.forkcast.supervisor.config;

import io.forkcast.protocol.frame.LineEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks that span settings: limits that must agree with each other (a line, a broker message and a
 * WebSocket message must each fit in a hub frame; a pool's minimum under its maximum; history shown under history
 * kept) and settings that need another (a login mode needs a users file). Each problem is one line naming both
 * settings and the way out. Stateless.
 */
final class Agreement {
    private Agreement() {}

    /** What is wrong between the parsed {@code values}; empty when they agree. */
    static List<String> problems(Map<String, Object> values) {
        var problems = new ArrayList<String>();
        if (values.get("pool_min_spare") instanceof Integer min
                && values.get("pool_max_spare") instanceof Integer max
                && max < min) {
            problems.add("pool_max_spare (" + max + ") is below pool_min_spare (" + min + ")");
        }
        if (values.get("rooms") instanceof List<?> rooms
                && values.get("rooms_max") instanceof Integer max
                && values.get("default_room") instanceof String lobby) {
            int count = RoomSettings.count(lobby, rooms);
            if (count > max) {
                problems.add("rooms_max (" + max + ") is below the " + count
                        + " rooms that rooms and default_room make at start");
            }
        }
        if (values.get("max_line_bytes") instanceof Integer line
                && values.get("max_frame_bytes") instanceof Integer frame
                && LineEnvelope.frameBytesFor(line) > frame) {
            // A longer line would be acknowledged to its worker and then dropped as too large a frame.
            problems.add("max_line_bytes (" + line + ") does not fit in max_frame_bytes (" + frame + "): a line that"
                    + " long needs frames of up to " + LineEnvelope.frameBytesFor(line) + " bytes with its envelope;"
                    + " lower max_line_bytes to at most " + Config.maxLineBytesFor(frame)
                    + " or raise max_frame_bytes");
        }
        if ("required".equals(values.get("login")) && "".equals(values.get("users_file"))) {
            problems.add("login = required needs a users_file to log in against");
        }
        if ("optional".equals(values.get("login")) && "".equals(values.get("users_file"))) {
            problems.add("login = optional needs a users_file to log in against");
        }
        if (values.get("history_lines") instanceof Integer lines
                && values.get("history_max") instanceof Integer max
                && lines > max) {
            problems.add("history_lines (" + lines + ") is above history_max (" + max + ")");
        }
        // A port that is off does not hold the server to its limits. A broker send and an MQTT packet each travel in
        // one hub frame, beside a header of at most BROKER_FRAME_OVERHEAD bytes.
        fitsAFrame(values, "broker_port", "broker_max_message_bytes", problems);
        fitsAFrame(values, "mqtt_port", "mqtt_max_packet_bytes", problems);
        String wsProblem =
                Integer.valueOf(-1).equals(values.get("ws_port")) ? null : WebSocketSettings.frameProblem(values);
        if (wsProblem != null) {
            problems.add(wsProblem);
        }
        return problems;
    }

    /** While {@code port} is on, the message limit {@code limit} must fit in max_frame_bytes with its header. */
    private static void fitsAFrame(Map<String, Object> values, String port, String limit, List<String> problems) {
        if (!Integer.valueOf(-1).equals(values.get(port))
                && values.get(limit) instanceof Integer bytes
                && values.get("max_frame_bytes") instanceof Integer frame
                && bytes + Config.BROKER_FRAME_OVERHEAD > frame) {
            problems.add(limit + " (" + bytes + ") does not fit in max_frame_bytes (" + frame
                    + "): lower it to at most " + (frame - Config.BROKER_FRAME_OVERHEAD) + " or raise max_frame_bytes");
        }
    }
}
