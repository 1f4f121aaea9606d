package io.forkcast.protocol.message;

import java.util.List;
import java.util.Map;

/**
 * Facts a worker tells the supervisor about its one client. Every client line carries a per-worker sequence
 * number, starting at 1, so that a supervisor can drop a line it has already relayed.
 */
public sealed interface WorkerMessage extends Message {

    /**
     * First frame on every hub link: who this worker is.
     *
     * @param pid the worker's own process id, checked against the socket's peer credentials
     * @param peer the client's address as {@code ip:port}
     */
    record Hello(long pid, String peer) implements WorkerMessage {}

    /** The client typed an ordinary line (already cleaned of control characters). */
    record ClientSaid(long seq, String text) implements WorkerMessage {}

    /** The client typed {@code /me ACTION}. */
    record ClientActed(long seq, String action) implements WorkerMessage {}

    /** The client asked for a nickname ({@code /nick NAME}); answered with NickAccepted or NickRefused. */
    record NickRequested(long seq, String nick) implements WorkerMessage {}

    /** The client typed {@code /who}; answered with WhoList. */
    record WhoRequested() implements WorkerMessage {}

    /** The client is gone or about to be; {@code cause} is a short word such as quit, eof, slow or flood. */
    record ClientLeft(String cause) implements WorkerMessage {}

    /**
     * First frame of a worker that lost its supervisor and reconnected to a new one, instead of Hello: the worker
     * keeps its client, its id and its nickname. Lines the supervisor has not acknowledged follow, resent.
     *
     * @param nick the nickname, or null
     */
    record Resume(long pid, String peer, long clientId, String nick) implements WorkerMessage {}

    /** First frame of a spare worker, started ahead of demand: it waits for a client ({@code Assign}). */
    record Ready(long pid) implements WorkerMessage {}

    /**
     * First frame on every hub link of a worker of level 2 or higher, instead of {@link Hello}.
     *
     * @param level the highest {@link ProtocolLevel} the worker speaks
     * @param pid the worker's own process id, checked against the socket's peer credentials
     * @param peer the client's address as {@code ip:port}
     * @param kind the client kind the worker serves ({@code telnet}); decides how the supervisor may render for it
     */
    record Hello2(int level, long pid, String peer, String kind) implements WorkerMessage {}

    /**
     * First frame of a level 2 worker that lost its supervisor and reconnected, instead of {@link Resume}.
     *
     * @param nick the nickname, or null
     */
    record Resume2(int level, long pid, String peer, long clientId, String nick, String kind)
            implements WorkerMessage {}

    /**
     * The client asked to move to {@code room} ({@code /join ROOM}), or back to the default room ({@code room}
     * null: {@code /part}); answered with {@link SupervisorMessage.Entered} or a Notice saying why not. It takes the
     * next sequence number, like a line: its answer tells the worker that every line before it was relayed.
     * Level 3.
     */
    record JoinRequested(long seq, String room) implements WorkerMessage {}

    /** The client typed {@code /rooms}; answered with {@link SupervisorMessage.RoomList}. Level 3. */
    record RoomsRequested() implements WorkerMessage {}

    /**
     * The client typed {@code /who} (the people of its room) or {@code /who *} ({@code everyone}: everyone, with
     * their rooms); answered with {@link SupervisorMessage.PeopleList}. Level 3.
     */
    record PeopleRequested(boolean everyone) implements WorkerMessage {}

    /**
     * The client typed {@code /topic TEXT} (sets the topic of its room, announced with {@link
     * SupervisorMessage.TopicChanged}) or {@code /topic} ({@code topic} null: shows it, in a Notice). Level 3.
     */
    record TopicRequested(String topic) implements WorkerMessage {}

    /**
     * A private line ({@code /msg NICK TEXT}, {@code /reply TEXT}), kept until acknowledged like any line. The
     * recipient is {@code toClient} when the worker knows it (a reply), else whoever holds the nickname {@code to}.
     * Answered with {@link SupervisorMessage.PrivateSent}, or a Notice when there is no such nick. Level 3.
     *
     * @param toClient the recipient, or null to look {@code to} up by nickname
     */
    record PrivateSaid(long seq, String to, Address.Client toClient, String text) implements WorkerMessage {}

    /**
     * First frame of a level 3 worker that lost its supervisor and reconnected, instead of {@link Resume2}: it
     * also brings the rooms its client was in, each with the topic it last saw (a new supervisor that does not
     * know the room yet takes it up; member counts are ignored).
     *
     * @param nick the nickname, or null
     * @param rooms the client's rooms, as the last supervisor named them; empty for none known
     */
    record Resume3(int level, long pid, String peer, long clientId, String nick, String kind, List<RoomEntry> rooms)
            implements WorkerMessage {}

    /**
     * The client gave a user name and password ({@code /login USER}, or the prompts when the server requires a
     * login); answered with {@link SupervisorMessage.LoggedIn} or {@link SupervisorMessage.LoginRefused} carrying the
     * same {@code seq}. Never kept or resent: a password is not held after it is sent. Level 4.
     */
    record LoginRequested(long seq, String user, String password) implements WorkerMessage {}

    /**
     * The client typed {@code /history [N]}: the last {@code lines} lines of its room (0: the server's default),
     * answered with {@link SupervisorMessage.HistoryLines} or a Notice saying why not. Level 4.
     */
    record HistoryRequested(int lines) implements WorkerMessage {}

    /**
     * First frame of a level 4 worker that lost its supervisor and reconnected: {@link Resume3} with the user the
     * client logged in as (null for a guest), which the new supervisor takes when that user is still in its users
     * file. Level 4.
     */
    record Resume4(
            int level,
            long pid,
            String peer,
            long clientId,
            String nick,
            String kind,
            List<RoomEntry> rooms,
            String user)
            implements WorkerMessage {}

    /**
     * A broker client that logged in ({@link SupervisorMessage.LoggedIn}) takes its role on {@code channel}: {@code
     * role} is {@code sender} or {@code receiver}; a sender's {@code channel} may be null (each send names one).
     * Answered with {@link SupervisorMessage.BrokerAttached} or {@link SupervisorMessage.BrokerRefused} carrying
     * the same {@code seq}. Sent again, with {@code seq} 0, after a {@link Resume4} of a logged-in broker client.
     * Level 5.
     */
    record BrokerAttach(long seq, String role, String channel) implements WorkerMessage {}

    /**
     * A broker sender's message: {@code data} is one JSON value in compact form, as the worker checked and
     * re-wrote it. Kept by the worker, like a line, until acknowledged; answered with {@link
     * SupervisorMessage.BrokerSent} once relayed (or stored), or {@link SupervisorMessage.BrokerRefused}. Level 5.
     */
    record BrokerSend(long seq, String channel, String data) implements WorkerMessage {}

    /**
     * A broker receiver has processed the messages {@code ids} (from {@link SupervisorMessage.BrokerBatch}): they
     * may be forgotten. Ids it does not hold are ignored. Level 5.
     */
    record BrokerAck(List<Long> ids) implements WorkerMessage {}

    /**
     * A WebSocket client's opening handshake, before the worker answers it: the application {@code key} and {@code
     * secret} of its {@code ?key=&secret=} (both null when it gave none) and the tags of its {@code ?tags=} (empty
     * for none). Answered with {@link SupervisorMessage.OpenAnswered} carrying the same {@code seq}. The secret is
     * never kept or logged. Level 6.
     */
    record OpenRequested(long seq, String key, String secret, Map<String, String> tags) implements WorkerMessage {}

    /**
     * Seed 001's send with tags: {@code message} goes to every WebSocket client whose tags contain all of {@code
     * tags}, across rooms; {@code key} and {@code secret} are its {@code metadata} (null when none). Kept by the
     * worker, like a line, until acknowledged; answered with {@link SupervisorMessage.TaggedSent}. Level 6.
     */
    record TaggedSaid(long seq, String message, Map<String, String> tags, String key, String secret)
            implements WorkerMessage {
        @Override
        public String toString() {
            return "TaggedSaid[seq=" + seq + ", tags=" + tags + ", key=" + key + ", secret=hidden]";
        }
    }

    // ---- Level 7: MQTT clients (seed 004). Only workers of kind mqtt send these.

    /**
     * An MQTT client's CONNECT, checked by the worker (protocol name and level, flags, a 3.1.1 client id): the
     * supervisor checks the user and password, takes up or starts the session of {@code clientId} (an empty one is
     * assigned an id), and answers {@link SupervisorMessage.MqttConnAck} carrying the same {@code seq}.
     *
     * @param version the protocol level: 4 (3.1.1) or 5 (5.0)
     * @param clientId the client identifier; empty for one the server assigns
     * @param cleanStart 3.1.1's clean session, 5.0's clean start
     * @param sessionExpiry seconds the session outlives the connection; 0 not at all, 4294967295 for ever (3.1.1:
     *     0 with a clean session, for ever without)
     * @param receiveMaximum how many QoS 1 and 2 messages the client takes unacknowledged (65535 when it named none)
     * @param maximumPacketSize the largest packet the client takes, in bytes; 0 for no limit of its own
     * @param user the user name, or null
     * @param password the password (as UTF-8), or null; never shown, logged or kept
     * @param will the last will, or null
     */
    record MqttConnect(
            long seq,
            int version,
            String clientId,
            boolean cleanStart,
            long sessionExpiry,
            int receiveMaximum,
            int maximumPacketSize,
            String user,
            String password,
            MqttWill will)
            implements WorkerMessage {
        @Override
        public String toString() {
            return "MqttConnect[seq=" + seq + ", version=" + version + ", clientId=" + clientId + ", cleanStart="
                    + cleanStart + ", sessionExpiry=" + sessionExpiry + ", receiveMaximum=" + receiveMaximum
                    + ", maximumPacketSize=" + maximumPacketSize + ", user=" + user + ", password="
                    + (password == null ? "null" : "hidden") + ", will=" + will + "]";
        }
    }

    /**
     * An MQTT PUBLISH from the client (topic aliases already resolved by the worker). Kept by the worker, like a
     * line, until the supervisor answers {@link SupervisorMessage.MqttPublished} with the same {@code seq}: only
     * then does the client get its PUBACK (QoS 1) or PUBREC (QoS 2). {@code packetId} is the client's (0 for QoS
     * 0): the supervisor routes a QoS 2 message whose id its session already holds unreleased only once.
     */
    // The bytes are compared by content below (equals, hashCode); no one changes them after decoding.
    @SuppressWarnings("ArrayRecordComponent")
    record MqttPublish(
            long seq, String topic, byte[] payload, int qos, boolean retain, int packetId, MqttProperties properties)
            implements WorkerMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof MqttPublish p
                    && seq == p.seq
                    && topic.equals(p.topic)
                    && java.util.Arrays.equals(payload, p.payload)
                    && qos == p.qos
                    && retain == p.retain
                    && packetId == p.packetId
                    && properties.equals(p.properties);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(seq, topic, qos, retain, packetId, properties)
                    + 31 * java.util.Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "MqttPublish[seq=" + seq + ", topic=" + topic + ", " + payload.length + " bytes, qos=" + qos
                    + ", retain=" + retain + ", packetId=" + packetId + "]";
        }
    }

    /** The client's PUBREL for its QoS 2 message {@code packetId}: the session forgets the id. Level 7. */
    record MqttPubRel(int packetId) implements WorkerMessage {}

    /**
     * The client's answer to the supervisor's message {@code packetId} ({@link SupervisorMessage.MqttDeliver}):
     * {@code stage} {@link #PUBACK} or {@link #PUBCOMP} (done), {@link #PUBREC} (QoS 2: the worker answered PUBREL
     * itself; the message is now only an id awaiting PUBCOMP), or {@link #DROPPED} (done: the worker did not send
     * it, being larger than the client's maximum packet size, or the client's PUBREC carried an error code).
     */
    record MqttDelivered(int packetId, int stage) implements WorkerMessage {
        public static final int DROPPED = 0;
        public static final int PUBACK = 1;
        public static final int PUBREC = 2;
        public static final int PUBCOMP = 3;
    }

    /**
     * An MQTT SUBSCRIBE: answered with {@link SupervisorMessage.MqttSubAck} carrying the same {@code packetId},
     * then the retained messages the filters match. Level 7.
     */
    record MqttSubscribe(int packetId, List<MqttFilter> filters) implements WorkerMessage {}

    /** An MQTT UNSUBSCRIBE: answered with {@link SupervisorMessage.MqttUnsubAck}. Level 7. */
    record MqttUnsubscribe(int packetId, List<String> filters) implements WorkerMessage {}

    /**
     * The client's DISCONNECT, just before its worker leaves: {@code reasonCode} 0 (normal: the will is dropped) or
     * 5.0's 0x04 (disconnect with will message: it is published); {@code sessionExpiry} the 5.0 session expiry it
     * set, -1 when unchanged. A client that leaves without one has lost its connection: its will is published.
     */
    record MqttDisconnect(int reasonCode, long sessionExpiry) implements WorkerMessage {}

    /**
     * After a {@link Resume4} of an MQTT client that was connected: what the worker holds of its session, so that
     * a new supervisor takes it up (a persistent session's stored state is merged in): the CONNECT's settings,
     * the subscriptions granted, and {@code nextPacketId}, the packet id the supervisor goes on from so that it
     * reuses none still in flight. Level 7.
     */
    record MqttResume(
            String clientId,
            int version,
            boolean cleanStart,
            long sessionExpiry,
            int receiveMaximum,
            int maximumPacketSize,
            MqttWill will,
            List<MqttFilter> subscriptions,
            int nextPacketId)
            implements WorkerMessage {}
}
