package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Sender;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.Style;
import io.forkcast.protocol.text.Json;
import io.forkcast.protocol.text.RoomNames;
import io.forkcast.protocol.text.SafeText;
import io.forkcast.supervisor.route.mqtt.MqttSession;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bridge between MQTT topics {@code <prefix>X} and room X: a PUBLISH there is a line of the room (or a notice
 * for a payload that is not UTF-8 text), and a person's line is the payload MQTT subscribers get. Confined to the
 * loop thread.
 */
final class MqttBridge {
    /** The most of a will's text a room is shown. */
    private static final int MAX_WILL_CHARS = 400;

    private final Postman postman;
    private final RoomBook rooms;
    private final BrokerDesk.RoomLine roomLine;

    MqttBridge(Postman postman, RoomBook rooms, BrokerDesk.RoomLine roomLine) {
        this.postman = postman;
        this.rooms = rooms;
        this.roomLine = roomLine;
    }

    /**
     * A message published to room {@code roomName}'s topic by {@code from} (null: a will, shown as a notice), if the
     * room exists.
     */
    void toRoom(Member from, String clientId, String roomName, byte[] payload) {
        if (RoomNames.problem(roomName) != null) {
            return;
        }
        var room = rooms.find(roomName);
        if (room == null) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload))
                    .toString();
        } catch (CharacterCodingException e) {
            var frame = postman.encode(new Notice(clientId + " sent a binary message (" + payload.length + " bytes)"));
            if (frame != null) {
                postman.toRoom(room, null, frame);
            }
            return;
        }
        if (from != null) {
            roomLine.say(room.name, from, from.lastSeq, text); // cleaned as text by the line desk
            return;
        }
        // A will: its client is gone, so the room hears it as a notice, cleaned and cut to a line's length.
        String said = SafeText.clean(text);
        said = said.length() > MAX_WILL_CHARS ? said.substring(0, MAX_WILL_CHARS) + "..." : said;
        var frame = postman.encode(new Notice("[" + clientId + "] (last will): " + said));
        if (frame != null) {
            postman.toRoom(room, null, frame);
        }
    }

    /** How the people of a room see the client's lines ({@code [<user or client id>] (pid)}), and LIST shows it. */
    static void name(String node, Member member, MqttSession session) {
        member.mqttClientId = session.clientId;
        member.mqttSubscriptions = session.subscriptions.size();
        var ref = member.ref;
        member.sender =
                new Sender(node, ref.clientId(), session.user != null ? session.user : session.clientId, ref.pid());
    }

    /** What MQTT subscribers of a room's topic get for a person's line. */
    static String payload(boolean json, Room room, Member from, Style style, String text) {
        if (json) {
            return "{\"room\":" + Json.quote(room.name) + ",\"from\":" + Json.quote(from.name()) + ",\"text\":"
                    + Json.quote(text) + ",\"time\":" + System.currentTimeMillis() / 1000 + "}";
        }
        return style == Style.ACT ? "* " + from.name() + " " + text : from.name() + ": " + text;
    }
}
