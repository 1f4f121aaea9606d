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
}
