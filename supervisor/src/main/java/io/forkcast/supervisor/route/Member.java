package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.Sender;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * One client as the routing domain holds it: its identity, its mailbox, its nickname and what {@link Delivery}
 * tracks for it. Created by {@link Router} when the client joins or resumes. Confined to the loop thread.
 */
public final class Member {
    /** The client's identity; fixed. */
    final ClientRef ref;
    /** Where its frames go; fixed. */
    final Mailbox mailbox;
    /** Its nickname, or null until it takes one; changed by Router on a rename or a resume. */
    String nick;
    /** The room its lines go to, or null once it has left; changed by RoomBook. */
    Room room;
    /** How level-2 receivers see it; rebuilt by Router when the nickname changes, so a line allocates none. */
    Sender sender;
    /** False once its mailbox refused a frame or its link is being dropped: it receives nothing more. */
    boolean receiving = true;
    /** False once it has left; set by Router. */
    boolean present = true;
    /** The highest sequence number relayed for it; set by Delivery. */
    long lastSeq;
    /** The highest sequence number acknowledged to it; set by Delivery at the end of a turn. */
    long ackedSeq;
    /** Receipts of its lines not yet written everywhere, oldest first; its ack stops below the oldest. Delivery. */
    final ArrayDeque<Receipt> unwritten = new ArrayDeque<>(4);
    /** Set while it is on Delivery's list of acks to send this turn. */
    boolean ackPending;
    /** Lines it said (chat lines and /me); counted by Router. */
    long linesIn;
    /** The user it logged in as, spelled as the users file does, or null for a guest; set by LoginDesk. */
    String user;
    /** Not in any room yet: the server requires a login and it has not logged in. Set and cleared by LoginDesk. */
    boolean awaitingLogin;
    /** When it was first asked to log in ({@link System#nanoTime}); for login_timeout. */
    long askedToLogInNanos;
    /** Failed logins on this connection; the third disconnects it. */
    int loginFailures;
    /** A password check of its is under way: another waits for it. */
    boolean verifying;
    /** When it was last told that a line of its could not be kept in history ({@link System#nanoTime}); 0: never. */
    long toldNotKeptNanos;

    /** A broker client's role once attached ({@code sender} or {@code receiver}), else null; set by BrokerDesk. */
    String brokerRole;
    /** A broker client's channel as it named it (a sender's default one may be null); set by BrokerDesk. */
    String brokerChannel;
    /** A receiver in a channel that gives each message to all: it gets the messages above this id, and waiting ones. */
    long brokerAfterId;
    /** Broker messages given to this receiver and not yet acknowledged; at most record_limit. */
    int brokerHolding;
    /**
     * Broker sends, and MQTT PUBLISHes queued for a session kept in the store, of this sender still being stored:
     * its worker is not acked past them until they are.
     */
    int brokerUnsettled;

    /** A WebSocket client not yet opened (its handshake not checked): in no room, sent nothing. Set by Router. */
    boolean awaitingOpen;
    /** A WebSocket client whose CONNECT made it an MQTT client (MQTT over WebSocket); set by MqttDesk. */
    boolean mqttOverWebSocket;
    /** An open WebSocket client's tags (empty for none), indexed by TagDesk; null before it opens or for others. */
    Map<String, String> tags;

    /** An MQTT client's session's client id once connected, else null; set by MqttDesk. */
    String mqttClientId;
    /** How many subscriptions its MQTT session has; set by MqttDesk. */
    int mqttSubscriptions;

    Member(ClientRef ref, Mailbox mailbox) {
        this.ref = ref;
        this.mailbox = mailbox;
        this.sender = new Sender(ref.node(), ref.clientId(), ref.peer(), ref.pid());
    }

    public ClientRef ref() {
        return ref;
    }

    public long clientId() {
        return ref.clientId();
    }

    /** Its nickname, or null until it takes one. */
    public String nick() {
        return nick;
    }

    /** How others see it: its nickname, or its address until it has one. */
    public String name() {
        return nick != null ? nick : ref.peer();
    }

    /** The room its lines go to, or null once it has left. */
    public Room room() {
        return room;
    }

    public boolean receiving() {
        return receiving;
    }

    /** The user it logged in as, or null for a guest. */
    public String user() {
        return user;
    }

    /** True while the server waits for it to log in (it is in no room). */
    public boolean awaitingLogin() {
        return awaitingLogin;
    }

    /** Its broker role ({@code sender}, {@code receiver}), or null: not a broker client, or not attached yet. */
    public String brokerRole() {
        return brokerRole;
    }

    /** Its broker channel, or null. */
    public String brokerChannel() {
        return brokerChannel;
    }

    /** True while a WebSocket client's handshake waits for its worker's OpenRequested. */
    public boolean awaitingOpen() {
        return awaitingOpen;
    }

    /** An open WebSocket client's tags (empty: none), or null (not open, or not a WebSocket client). */
    public Map<String, String> tags() {
        return tags;
    }

    /** True for an MQTT client: of kind mqtt, or a WebSocket client that connected with MQTT. */
    public boolean mqtt() {
        return ref.mqtt() || mqttOverWebSocket;
    }

    /** The client kind as LIST shows it: its worker's, but mqtt for MQTT over WebSocket. */
    public String kind() {
        return mqttOverWebSocket ? io.forkcast.supervisor.front.MqttDoor.NAME : ref.kind();
    }

    /** An MQTT client's client id once connected, or null. */
    public String mqttClientId() {
        return mqttClientId;
    }

    /** How many subscriptions an MQTT client's session has. */
    public int mqttSubscriptions() {
        return mqttSubscriptions;
    }

    public long linesIn() {
        return linesIn;
    }

    @Override
    public String toString() {
        return "member " + ref.clientId() + " (" + name() + ")";
    }
}
