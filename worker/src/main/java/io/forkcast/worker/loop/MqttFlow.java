package io.forkcast.worker.loop;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.protocol.message.WorkerMessage.MqttConnect;
import io.forkcast.protocol.message.WorkerMessage.MqttPublish;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.mqtt.MqttFrontDoor;
import io.forkcast.worker.front.websocket.WebSocketFrontDoor;
import io.forkcast.worker.hub.HubSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An MQTT client's packets on their way to the supervisor ({@link Intent.Mqtt}): the CONNECT numbered and sent
 * (again after a supervisor restart if it was not answered), each PUBLISH kept until the supervisor answers it,
 * like a chat line, and the other requests sent as they come, or held while the supervisor is away. After a
 * restart the session is told again ({@link MqttFrontDoor#resume}) before the PUBLISHes not yet answered.
 * Inert for the other client kinds. Confined to the worker's loop thread.
 */
final class MqttFlow {
    /** The lowest protocol level with MQTT's messages. */
    private static final int MQTT_LEVEL = 7;

    /** Answers and acknowledgements held while the supervisor is away; past this many the oldest go. */
    private static final int MAX_HELD = 4096;

    /** The client's front door: MQTT's, or the WebSocket's that may carry MQTT. */
    private final FrontDoor front;

    private final HubSession hub;
    /** Ends the session when the hub's backlog stays full (a PUBLISH found no room). */
    private final Runnable backlogFull;
    /** The CONNECT sent and not yet answered; null otherwise. */
    private MqttConnect connect;
    /** PUBREL, PUBACK... answers that found no link, sent after the next resume. */
    private final ArrayDeque<WorkerMessage> held = new ArrayDeque<>();

    MqttFlow(FrontDoor front, HubSession hub, Runnable backlogFull) {
        this.front = front;
        this.hub = hub;
        this.backlogFull = backlogFull;
        if (front instanceof MqttFrontDoor || front instanceof WebSocketFrontDoor) {
            hub.onResume(this::resumed);
        }
    }

    /** The MQTT door: the client's own, or inside its WebSocket; null when the client is not MQTT's. */
    private MqttFrontDoor door() {
        if (front instanceof MqttFrontDoor m) {
            return m;
        }
        return front instanceof WebSocketFrontDoor w ? w.mqtt() : null;
    }

    /** Takes the MQTT intents; true when {@code intent} was one (and was handled here). */
    boolean handles(Intent intent) {
        var door = door();
        if (!(intent instanceof Intent.Mqtt m) || door == null) {
            return false;
        }
        var message = m.message();
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (message instanceof MqttPublish p) {
            if (!hub.keep(seq ->
                    new MqttPublish(seq, p.topic(), p.payload(), p.qos(), p.retain(), p.packetId(), p.properties()))) {
                backlogFull.run();
            }
        } else if (message instanceof MqttConnect c) {
            connect = c;
            if (!(front instanceof MqttFrontDoor)) {
                hub.becomes(MqttFrontDoor.KIND); // MQTT over WebSocket: an MQTT client from now on, after a restart too
            }
            if (hub.level() < MQTT_LEVEL) {
                door.refuseLocally(0x88, "this server does not speak MQTT yet");
            } else if (!sendConnect()) {
                door.refuseLocally(0x88, "the server is restarting; try again in a moment");
            }
        } else if (!hub.request(message) && !door.answerUnsent(message)) {
            if (held.size() == MAX_HELD) {
                held.poll();
            }
            held.add(message);
        }
        return true;
    }

    /**
     * True for a connected client's packets: a program's, which the line flood limit does not drop (its bytes are
     * still paced by flood_bytes_per_second, its PUBLISHes by the hub backlog and the receive maximum).
     */
    boolean paced(Intent intent) {
        var door = door();
        return door != null && door.connected() && (intent instanceof Intent.Mqtt || intent instanceof Intent.Blank);
    }

    /** Takes in an order from the supervisor, after it was shown. */
    void order(SupervisorMessage order) {
        if (order instanceof SupervisorMessage.MqttConnAck a && connect != null && a.seq() == connect.seq()) {
            connect = null;
        }
    }

    /** Back on a supervisor (after the Welcome): a CONNECT it never answered is put to it again. */
    void welcomedBack() {
        var door = door();
        if (connect != null && door != null && door.connecting() && !sendConnect()) {
            door.refuseLocally(0x88, "the server is restarting; try again in a moment");
        }
    }

    private boolean sendConnect() {
        var c = connect;
        return hub.requestNumbered(seq -> connect = new MqttConnect(
                seq,
                c.version(),
                c.clientId(),
                c.cleanStart(),
                c.sessionExpiry(),
                c.receiveMaximum(),
                c.maximumPacketSize(),
                c.user(),
                c.password(),
                c.will()));
    }

    /** What follows Resume4: the session this connection holds, then what was held while the link was down. */
    private List<WorkerMessage> resumed() {
        var door = door();
        var resume = door == null ? null : door.resume();
        if (resume == null) {
            return List.of();
        }
        var messages = new ArrayList<WorkerMessage>(held.size() + 1);
        messages.add(resume);
        messages.addAll(held);
        held.clear();
        return messages;
    }
}
