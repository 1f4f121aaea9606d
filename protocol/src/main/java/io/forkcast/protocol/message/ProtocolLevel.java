package io.forkcast.protocol.message;

/**
 * The levels of the hub protocol. A worker names the highest level it speaks in its first frame ({@link
 * WorkerMessage.Hello2}, {@link WorkerMessage.Resume2}); the supervisor answers with the level both will use
 * ({@link SupervisorMessage.Welcome2}), the lower of the two, and from then on neither side sends a message of a
 * higher level than that. A worker that greets with {@link WorkerMessage.Hello} or {@link WorkerMessage.Resume}
 * (a worker of an earlier build, adopted after an upgrade) speaks {@link #BASE} and is answered with {@link
 * SupervisorMessage.Welcome}.
 *
 * <p>What each level adds:
 *
 * <ul>
 *   <li>1: the first protocol: Hello, Resume, Ready, client facts; Welcome, Say, Act, Joined, Left, Renamed,
 *       Notice, NickAccepted, NickRefused, WhoList, Disconnect, Ack, Assign, Limits.
 *   <li>2: Hello2, Resume2 and Welcome2, which carry the level, the client kind and the node; {@link
 *       SupervisorMessage.Deliver}, an addressed line with a {@link Sender} that stays unique when several
 *       supervisors share rooms, sent instead of Say and Act.
 *   <li>3: rooms and private messages: JoinRequested, RoomsRequested, PeopleRequested, TopicRequested,
 *       PrivateSaid and Resume3 (which brings the client's rooms); Entered, RoomJoined, RoomLeft, RoomList,
 *       PeopleList, TopicChanged and PrivateSent; Deliver addressed to a room or to one client. A worker below
 *       level 3 is in the default room and gets Joined, Left and Notice instead of the room messages.
 *   <li>4: accounts, room history and offline messages: LoginRequested, HistoryRequested and Resume4 (which brings
 *       the user the client logged in as); LoginNeeded, LoggedIn, LoginRefused, HistoryLines, AwayLines and
 *       PrivateStored. A worker below level 4 is a guest; it gets a Notice where a level 4 one gets PrivateStored.
 *   <li>5: seed 000's broker clients: BrokerAttach, BrokerSend and BrokerAck; BrokerAttached, BrokerRefused,
 *       BrokerSent and BrokerBatch. Only workers of kind {@code broker} send or get them.
 *   <li>6: WebSocket clients (seeds 001 and 003): OpenRequested and TaggedSaid; OpenAnswered, TaggedLine,
 *       TaggedSent and AdminMessage (a worker below level 6 gets a Notice for an operator's message); Assign2, which
 *       hands a spare a client of any kind.
 *   <li>7: MQTT clients (seed 004): MqttConnect, MqttPublish, MqttPubRel, MqttDelivered, MqttSubscribe,
 *       MqttUnsubscribe, MqttDisconnect and MqttResume; MqttConnAck, MqttPublished, MqttSubAck, MqttUnsubAck,
 *       MqttDeliver, MqttRelease and MqttKick. Only workers of kind {@code mqtt} send or get them.
 *   <li>8: {@link SupervisorMessage.DeliverRendered}, a room line rendered once by the supervisor for every telnet
 *       receiver, sent to telnet workers instead of Deliver; workers of other kinds still get Deliver.
 * </ul>
 */
public final class ProtocolLevel {
    /** The level of a worker that greets with Hello or Resume. */
    public static final int BASE = 1;

    /** The highest level this build speaks. */
    public static final int CURRENT = 8;

    private ProtocolLevel() {}

    /** The level two sides agree on: the lower of the two, never below {@link #BASE}. */
    public static int agreed(int theirs) {
        return Math.max(BASE, Math.min(theirs, CURRENT));
    }
}
