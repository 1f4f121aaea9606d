package io.forkcast.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * Orders and deliveries from the supervisor to one worker. Deliveries ({@link Say}, {@link Act},
 * {@link Joined}, {@link Left}, {@link Renamed}, {@link Notice}) are encoded once and the same bytes go to
 * every recipient; the worker renders them for its client.
 */
public sealed interface SupervisorMessage extends Message {

    /**
     * Limits a worker enforces on its client; sent in {@link Welcome} and again when they change.
     *
     * @param maxLineBytes longest accepted client line, in bytes
     * @param floodLinesPerSecond sustained lines per second a client may send
     * @param floodBurst lines a client may send at once before the rate applies
     * @param floodDropsBeforeDisconnect dropped lines (beyond the rate) after which the client is disconnected
     * @param clientBufferBytes most output a worker holds for a client that does not read
     */
    record Limits(
            int maxLineBytes,
            int floodLinesPerSecond,
            int floodBurst,
            int floodDropsBeforeDisconnect,
            int clientBufferBytes)
            implements SupervisorMessage {}

    /** Answer to Hello: the worker is admitted under {@code clientId}. */
    record Welcome(long clientId, Limits limits) implements SupervisorMessage {}

    /**
     * Client {@code fromId} said something; rendered as {@code [name] (pid): text}. {@code seq} is the sender's
     * line number: a receiver drops a line it has already shown, which makes a line resent after a supervisor
     * restart arrive once.
     */
    record Say(long fromId, String fromName, long fromPid, long seq, String text) implements SupervisorMessage {}

    /** Client {@code fromId} did {@code /me}; rendered as {@code * name (pid) action}. */
    record Act(long fromId, String fromName, long fromPid, long seq, String action) implements SupervisorMessage {}

    /** A client joined. */
    record Joined(long id, String name, long pid) implements SupervisorMessage {}

    /** A client left, for whatever reason. */
    record Left(long id, String name, long pid) implements SupervisorMessage {}

    /** A client changed its nickname. */
    record Renamed(long id, String oldName, String newName, long pid) implements SupervisorMessage {}

    /** A line from the server or an operator, rendered as {@code *** text}. */
    record Notice(String text) implements SupervisorMessage {}

    /** The nickname asked for in {@code NickRequested} is now this client's. */
    record NickAccepted(long seq, String nick) implements SupervisorMessage {}

    /** The nickname asked for was refused, with a reason fit to show the client. */
    record NickRefused(long seq, String nick, String reason) implements SupervisorMessage {}

    /** One row of a WhoList. */
    record WhoEntry(long id, String name, String peer, long pid) {}

    /** Answer to WhoRequested: everyone connected, in order of arrival. */
    @SuppressWarnings("ArrayRecordComponent") // registered on the wire (id 76): never reshaped, never compared
    record WhoList(WhoEntry[] entries) implements SupervisorMessage {}

    /** Tell the client {@code reason}, close it and exit. */
    record Disconnect(String reason) implements SupervisorMessage {}

    /** Every line of this worker's up to {@code seq} has been relayed; the worker may forget them. */
    record Ack(long seq) implements SupervisorMessage {}

    /**
     * To a spare worker: serve this client. The client's socket travels with the frame's first byte as an
     * SCM_RIGHTS control message; the worker answers with Hello once it holds it.
     */
    record Assign() implements SupervisorMessage {}

    /**
     * Answer to {@link WorkerMessage.Hello2} or {@link WorkerMessage.Resume2}: the worker is admitted under
     * {@code clientId} on supervisor {@code node}, and both sides speak {@code level} from now on.
     */
    record Welcome2(int level, long clientId, String node, Limits limits) implements SupervisorMessage {}

    /** What a {@link Deliver} carries: an ordinary line, or an action ({@code /me}). */
    enum Style {
        SAY,
        ACT
    }

    /**
     * A client's line, addressed (level 2; a level 1 worker gets {@link Say} or {@link Act} instead). {@code seq}
     * is the sender's line number: a receiver drops a {@code (from, seq)} it has already shown.
     */
    record Deliver(Address to, Sender from, long seq, Style style, String text) implements SupervisorMessage {}

    /**
     * The client is in {@code room} now: the answer to {@link WorkerMessage.JoinRequested} number {@code seq} (then
     * followed by a {@link PeopleList} of the room), or, with {@code seq} 0, where a client that joined or resumed
     * was placed. Every line the client sent before {@code seq} has been relayed. Level 3.
     *
     * @param topic the room's topic, or null for none
     */
    record Entered(long seq, String room, String topic) implements SupervisorMessage {}

    /** {@code who} came into {@code room} from another room ({@code *** name (pid) joined #room}). Level 3. */
    record RoomJoined(Sender who, String room) implements SupervisorMessage {}

    /**
     * {@code who} left {@code room} for the room {@code to} ({@code *** name (pid) left for #to}); {@code to} is
     * null when it went nowhere the others may know of. Level 3.
     */
    record RoomLeft(Sender who, String room, String to) implements SupervisorMessage {}

    /**
     * Answer to {@link WorkerMessage.RoomsRequested}: every room, in order of creation. A list too long for one
     * frame comes in parts, in order: each gives the {@code total} and the {@code offset} of its first entry. Level 3.
     */
    record RoomList(int total, int offset, List<RoomEntry> rooms) implements SupervisorMessage {}

    /**
     * Answer to {@link WorkerMessage.PeopleRequested}, and the people of a room just entered: the people of {@code
     * room} in order of arrival, or everyone ({@code room} null), each with their room. In parts like {@link
     * RoomList}. Level 3.
     */
    record PeopleList(String room, int total, int offset, List<Present> people) implements SupervisorMessage {}

    /** {@code by} set the topic of {@code room}; shown to every member, the setter included. Level 3. */
    record TopicChanged(Sender by, String room, String topic) implements SupervisorMessage {}

    /**
     * The private line number {@code seq} reached {@code to} (the recipient's name as it is now); shown to its
     * sender as {@code *** to <to>: <text>}. The recipient gets a {@link Deliver} addressed to it. Level 3.
     */
    record PrivateSent(long seq, String to, String text) implements SupervisorMessage {}

    /**
     * The server wants the client to log in before anything else ({@code login = required}): the worker asks for a
     * user name, then a password, and sends {@link WorkerMessage.LoginRequested}. Sent after Welcome2 and after each
     * refused attempt while attempts are left. Level 4.
     *
     * @param attemptsLeft how many attempts remain before the client is disconnected
     */
    record LoginNeeded(int attemptsLeft) implements SupervisorMessage {}

    /** The login number {@code seq} succeeded: the client's name is now {@code user}. Level 4. */
    record LoggedIn(long seq, String user) implements SupervisorMessage {}

    /**
     * The login number {@code seq} failed; {@code reason} is fit to show the client and never says whether the
     * user exists. Level 4.
     */
    record LoginRefused(long seq, String user, String reason) implements SupervisorMessage {}

    /**
     * The last lines of {@code room}, oldest first, on entering it or for {@code /history}: {@code total} lines in
     * all, in parts like {@link RoomList} (each part with the {@code offset} of its first line); {@code total} 0
     * says the room has none. Level 4.
     */
    record HistoryLines(String room, int total, int offset, List<PastLine> lines) implements SupervisorMessage {}

    /**
     * Private lines kept for the client while it was away, oldest first, after it logged in; in parts like {@link
     * RoomList}. Level 4.
     */
    record AwayLines(int total, int offset, List<PastLine> lines) implements SupervisorMessage {}

    /**
     * The private line number {@code seq} was for {@code to}, a registered user who is not connected: it is stored
     * and will be delivered when they log in. Sent once the store has committed it. Level 4.
     */
    record PrivateStored(long seq, String to) implements SupervisorMessage {}

    /**
     * The broker role asked for in {@link WorkerMessage.BrokerAttach} number {@code seq} is the client's: a
     * receiver gets the channel's waiting messages next. Level 5.
     */
    record BrokerAttached(long seq, String role, String channel) implements SupervisorMessage {}

    /**
     * The broker request number {@code seq} (an attach or a send; {@code command} names it as the client's protocol
     * does: {@code login}, {@code send}) was refused; {@code reason} is fit to show the client. Level 5.
     */
    record BrokerRefused(long seq, String command, String reason) implements SupervisorMessage {}

    /**
     * The broker message number {@code seq} was relayed to {@code receivers} receivers under the id {@code id}, or
     * (with {@code stored}) committed to the store to wait for one. Level 5.
     */
    record BrokerSent(long seq, long id, String channel, int receivers, boolean stored) implements SupervisorMessage {}

    /**
     * Messages on {@code channel} for a broker receiver, oldest first: {@code data} holds one JSON value each, in
     * compact form, beside its id in {@code ids}. The receiver acknowledges them with {@link
     * WorkerMessage.BrokerAck}; until then they stay its (and come again if it reconnects). Level 5.
     */
    record BrokerBatch(String channel, List<Long> ids, List<String> data) implements SupervisorMessage {}

    /**
     * The answer to {@link WorkerMessage.OpenRequested} number {@code seq}: the worker completes the handshake
     * ({@code accepted}) or refuses it with {@code reason} (an HTTP 403 with that text). Level 6.
     */
    record OpenAnswered(long seq, boolean accepted, String reason) implements SupervisorMessage {}

    /**
     * Seed 001's tagged message from {@code from}, for a WebSocket client whose tags contain {@code tags}: shown as
     * 001 shows it. {@code seq} is the sender's line number (a receiver drops a repeat). Level 6.
     */
    record TaggedLine(Sender from, long seq, String message, Map<String, String> tags) implements SupervisorMessage {}

    /**
     * The tagged message number {@code seq} reached {@code receivers} clients; or, when {@code refusal} is not null,
     * it was refused for that reason (an application key that may not send). Level 6.
     */
    record TaggedSent(long seq, int receivers, String refusal) implements SupervisorMessage {}

    /**
     * An operator's {@code SEND MESSAGE <id> <text>} to this client, shown as seed 003 shows it (a WebSocket client
     * gets {@code {"message": text}}); a worker below level 6 gets {@code Notice("admin: " + text)} instead. Level 6.
     */
    record AdminMessage(String text) implements SupervisorMessage {}

    /**
     * To a spare worker: serve this client, a client of {@code kind} ({@code broker}, {@code websocket}; a telnet
     * client is handed with {@link Assign}). The socket travels as with Assign. Level 6.
     */
    record Assign2(String kind) implements SupervisorMessage {}

    // ---- Level 7: MQTT clients (seed 004). Only workers of kind mqtt get these.

    /**
     * The answer to {@link WorkerMessage.MqttConnect} number {@code seq}: {@code reasonCode} is 5.0's CONNACK
     * reason (0 success, 0x85 client identifier not valid, 0x86 bad user name or password, 0x87 not authorized,
     * 0x88 server unavailable, ...; a 3.1.1 worker maps it to a return code). On success {@code clientId} is the
     * session's (assigned when the client sent none), {@code user} the account it logged in as (null: anonymous),
     * {@code sessionPresent} whether a stored session was taken up. {@code reason} says why in words (5.0's reason
     * string, and the log), null on success.
     */
    record MqttConnAck(long seq, int reasonCode, boolean sessionPresent, String clientId, String user, String reason)
            implements SupervisorMessage {}

    /**
     * The supervisor holds the PUBLISH number {@code seq} (relayed, and stored where it must wait): the worker may
     * answer PUBACK or PUBREC for {@code packetId} with {@code reasonCode} (0 success, 0x10 no matching
     * subscribers, 0x87 not authorized, 0x97 quota exceeded, ...; 3.1.1 has no reason). Level 7.
     */
    record MqttPublished(long seq, int packetId, int reasonCode) implements SupervisorMessage {}

    /** The SUBACK of {@link WorkerMessage.MqttSubscribe} {@code packetId}: one 5.0 reason code per filter. */
    record MqttSubAck(int packetId, List<Integer> codes) implements SupervisorMessage {}

    /** The UNSUBACK of {@link WorkerMessage.MqttUnsubscribe} {@code packetId}: 0 or 0x11 (none) per filter. */
    record MqttUnsubAck(int packetId, List<Integer> codes) implements SupervisorMessage {}

    /**
     * An application message for the client: sent as a PUBLISH as it is. {@code packetId} is the session's for QoS
     * 1 and 2 (0 for QoS 0), {@code dup} set when it is sent again; the worker answers the client's PUBACK, PUBREC
     * and PUBCOMP with {@link WorkerMessage.MqttDelivered}. {@code subscriptionIds} are 5.0's identifiers of the
     * subscriptions it matched (empty for none). Level 7.
     */
    // The bytes are compared by content below (equals, hashCode); no one changes them after decoding.
    @SuppressWarnings("ArrayRecordComponent")
    record MqttDeliver(
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            boolean dup,
            int packetId,
            List<Integer> subscriptionIds,
            MqttProperties properties)
            implements SupervisorMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof MqttDeliver d
                    && topic.equals(d.topic)
                    && java.util.Arrays.equals(payload, d.payload)
                    && qos == d.qos
                    && retain == d.retain
                    && dup == d.dup
                    && packetId == d.packetId
                    && subscriptionIds.equals(d.subscriptionIds)
                    && properties.equals(d.properties);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(topic, qos, retain, dup, packetId, subscriptionIds, properties)
                    + 31 * java.util.Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "MqttDeliver[topic=" + topic + ", " + payload.length + " bytes, qos=" + qos + ", retain=" + retain
                    + ", dup=" + dup + ", packetId=" + packetId + "]";
        }
    }

    /**
     * A QoS 2 message of a session taken up again that the client had received (PUBREC) but not completed: the
     * worker sends PUBREL for {@code packetId}. Level 7.
     */
    record MqttRelease(int packetId) implements SupervisorMessage {}

    /**
     * The worker closes its MQTT client, with a 5.0 DISCONNECT of {@code reasonCode} (0x8E session taken over,
     * 0x8B server shutting down, 0x98 administrative action, ...) and {@code reason} as its reason string; a 3.1.1
     * client is just closed. Level 7.
     */
    record MqttKick(int reasonCode, String reason) implements SupervisorMessage {}

    // ---- Level 8: lines rendered once by the supervisor for every telnet receiver.

    /**
     * A room line for a telnet client, rendered by the supervisor once for every telnet receiver of the line:
     * {@code text} holds the exact bytes the client is written ({@code [name] (pid): text} or {@code * name (pid)
     * action}, UTF-8, CR LF included; see {@code TelnetLine}). The receiver drops a {@code (node, fromId, seq)} it
     * has already shown, as for {@link Deliver}, and otherwise only copies the bytes. Only telnet workers at level 8
     * get it; the others get {@link Deliver}. Level 8.
     */
    // The bytes are compared by content below (equals, hashCode); no one changes them after decoding.
    @SuppressWarnings("ArrayRecordComponent")
    record DeliverRendered(String node, long fromId, long seq, byte[] text) implements SupervisorMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof DeliverRendered d
                    && node.equals(d.node)
                    && fromId == d.fromId
                    && seq == d.seq
                    && java.util.Arrays.equals(text, d.text);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(node, fromId, seq) + 31 * java.util.Arrays.hashCode(text);
        }

        @Override
        public String toString() {
            return "DeliverRendered[node=" + node + ", fromId=" + fromId + ", seq=" + seq + ", " + text.length
                    + " bytes]";
        }
    }
}
