package io.forkcast.supervisor.route;

import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerBatch;
import io.forkcast.protocol.message.SupervisorMessage.BrokerRefused;
import io.forkcast.protocol.message.SupervisorMessage.BrokerSent;
import io.forkcast.protocol.text.Json;
import io.forkcast.protocol.text.RoomNames;
import io.forkcast.supervisor.front.BrokerDoor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Seed 000's broker in the routing domain: senders and receivers on channels, the receiver limit, acknowledgements
 * and store-and-forward. A channel is a room: what a sender sends is also a line of the room of that name (its
 * people see {@code [user] (pid): <data>}), and a line people say in a room reaches the channel's receivers as
 * {@code {"text":..,"from":..}}. Confined to the loop thread.
 *
 * <p>Each message waits in its channel's {@link BrokerChannel#pending} until every receiver that got it has acknowledged
 * it (and at least one has), then it is forgotten, in the store too. Which receivers get it: with a limit N, the N
 * that attached first (when one leaves, the next in line takes its place, and is given what the leaver held); with
 * no limit, every receiver attached when it was sent, and whoever comes next for a message nobody holds. A receiver
 * holds at most record_limit unacknowledged messages; the rest wait for its acks, which is what paces a sender's
 * messages to a slow receiver. With keep_data and a store, a message is committed before its sender is told
 * {@code sent}, and one no receiver acknowledged is read back from the store after a restart; the receiver tells
 * repeats by their ids.
 */
public final class BrokerDesk {
    static final String SENDER = "sender";
    static final String RECEIVER = "receiver";

    /** What the frame of a batch carries besides its data: the channel, the ids, the header. */
    private static final int BATCH_OVERHEAD = 512;

    /** The broker settings; replaced on reload. */
    public record Settings(
            int receiversMax,
            boolean keepData,
            List<ChannelRule> channels,
            int recordLimit,
            int maxMessageBytes,
            int pendingMax) {
        /** The defaults, for a router made without a configuration. */
        public static final Settings DEFAULT = new Settings(0, true, List.of(), 5, 16384, 10_000);
    }

    private final Postman postman;
    private final Delivery delivery;
    final BrokerQueue queue;
    private final Consumer<String> log;
    /** Says a sender's message to the people of the room of its channel (the Router's room line). */
    private final RoomLine roomLine;

    final Map<String, BrokerChannel> channels = new HashMap<>();
    private Settings settings;
    /** The next message id: from the clock at start, so ids keep growing across restarts; above any read back. */
    long nextId = System.currentTimeMillis() * 1000;
    /** The other nodes of a federation; inert until {@link #federate}. */
    private RemoteBroker remote = new RemoteBroker(this, BrokerFederation.NONE);

    private long sent;
    private long delivered;
    private long acked;
    private long stored;
    private long refused;
    long dropped;

    /** How the Router shows a sender's message to the people of a room. */
    @FunctionalInterface
    interface RoomLine {
        void say(String roomName, Member from, long seq, String text);
    }

    BrokerDesk(
            Postman postman,
            Delivery delivery,
            BrokerQueue queue,
            Settings settings,
            RoomLine roomLine,
            Consumer<String> log) {
        this.postman = postman;
        this.delivery = delivery;
        this.queue = queue;
        this.settings = settings;
        this.roomLine = roomLine;
        this.log = log;
    }

    /** Shares the channels with the other nodes of {@code federation}; called once, before the loop runs. */
    public void federate(BrokerFederation federation) {
        remote = new RemoteBroker(this, federation);
        federation.attach(remote);
    }

    /** New settings (a reload): limits may have grown, so every channel gives out what it can. */
    public void settings(Settings next) {
        settings = next;
        for (var channel : List.copyOf(channels.values())) {
            pump(channel);
        }
    }

    // ---- Attaching ----

    /** A logged-in broker client takes its role (after LoggedIn, or again after its worker resumed). */
    public void attach(Member member, long seq, String role, String channelName) {
        if (!BrokerDoor.NAME.equals(member.ref.kind())) {
            postman.send(member, new BrokerRefused(seq, "login", "only broker clients take a broker role"));
            return;
        }
        if (member.user == null) {
            postman.send(member, new BrokerRefused(seq, "login", "log in first"));
            return;
        }
        if (member.brokerRole != null) {
            postman.send(member, new BrokerRefused(seq, "login", "already logged in as a " + member.brokerRole));
            return;
        }
        if (!SENDER.equals(role) && !RECEIVER.equals(role)) {
            postman.send(member, new BrokerRefused(seq, "login", "role must be sender or receiver"));
            return;
        }
        String name = channelName == null ? null : RoomNames.strip(channelName);
        if (name == null && RECEIVER.equals(role)) {
            postman.send(member, new BrokerRefused(seq, "login", "a receiver needs a channel"));
            return;
        }
        String problem = name == null ? null : RoomNames.problem(name);
        if (problem != null) {
            postman.send(member, new BrokerRefused(seq, "login", "bad channel: " + problem));
            return;
        }
        member.brokerRole = role;
        member.brokerChannel = name;
        postman.send(member, new BrokerAttached(seq, role, name));
        log.accept("event=broker_attach user=" + member.user + " worker=" + member.clientId() + " role=" + role
                + (name == null ? "" : " channel=" + name));
        if (RECEIVER.equals(role)) {
            var channel = channel(name);
            member.brokerAfterId = nextId - 1;
            channel.receivers.add(member);
            remote.receiverCame(channel);
            pump(channel);
        }
    }

    /** A broker client left: what it held goes to the next in line. */
    void left(Member member) {
        if (!RECEIVER.equals(member.brokerRole)) {
            return;
        }
        var channel = channels.get(RoomNames.key(member.brokerChannel));
        if (channel == null) {
            return;
        }
        channel.receivers.remove(member);
        var done = new ArrayList<Long>();
        for (var it = channel.pending.values().iterator(); it.hasNext(); ) {
            var m = it.next();
            if (m.holders.remove(member) && done(channel, m)) {
                it.remove();
                if (m.rowId > 0) {
                    done.add(m.rowId);
                }
            }
        }
        if (!done.isEmpty()) {
            queue.forget(done);
        }
        member.brokerHolding = 0;
        pump(channel);
        remote.receiverWent(channel);
        forgetIfIdle(channel);
    }

    // ---- Sending ----

    /** A sender's message: stored first when it must be kept, relayed, then its sender is told. */
    public void send(Member from, long seq, String channelName, String data) {
        if (!delivery.fresh(from, seq)) {
            return; // a repeat from a worker that resent it after a restart
        }
        String refusal = BrokerRefusals.ofSend(from, channelName, data, settings.maxMessageBytes());
        if (refusal != null) {
            refused++;
            postman.send(from, new BrokerRefused(seq, "send", refusal));
            return;
        }
        String name = RoomNames.strip(channelName != null ? channelName : from.brokerChannel);
        var channel = channel(name);
        if (channel.pending.size() >= settings.pendingMax()) {
            refused++;
            postman.send(
                    from,
                    new BrokerRefused(
                            seq,
                            "send",
                            "channel " + name + " is full (" + settings.pendingMax()
                                    + " messages wait for its receivers); try again later"));
            return;
        }
        long id = nextId++;
        sent++;
        from.linesIn++;
        roomLine.say(name, from, seq, data);
        if (keepData(channel) && queue.enabled()) {
            from.brokerUnsettled++;
            boolean queued = queue.store(channel.key, id, from, data, rowId -> {
                delivery.settled(from);
                if (rowId != null) {
                    stored++;
                } else if (activeCount(channel) == 0) {
                    // It would wait, and cannot: refused, so that the sender keeps it, rather than dropped.
                    refused++;
                    if (from.present) {
                        postman.send(
                                from,
                                new BrokerRefused(
                                        seq,
                                        "send",
                                        "the store cannot keep it now and no" + " receiver is on " + channel.name
                                                + "; try again later"));
                    }
                    forgetIfIdle(channel);
                    return;
                }
                relay(
                        channel,
                        new BrokerChannel.Message(id, data, rowId == null ? 0 : rowId),
                        from,
                        seq,
                        rowId != null);
            });
            if (!queued) {
                delivery.settled(from);
                relay(channel, new BrokerChannel.Message(id, data, 0), from, seq, false);
            }
            return;
        }
        relay(channel, new BrokerChannel.Message(id, data, 0), from, seq, false);
    }

    /** Gives a message out, and tells its sender (when there is one) how many receivers it reached. */
    private void relay(BrokerChannel channel, BrokerChannel.Message message, Member from, long seq, boolean isStored) {
        int receivers = activeCount(channel);
        if (remote.relayed(channel, message, from, seq, isStored, receivers)) {
            return; // offered to the other nodes: the answer tells the sender
        }
        if (receivers == 0 && !isStored) {
            dropped++;
            tell(from, seq, message.id, channel, 0, false);
            forgetIfIdle(channel);
            return;
        }
        channel.pending.put(message.id, message);
        pump(channel);
        tell(from, seq, message.id, channel, receivers, isStored);
    }

    /** Tells a sender still there that its message reached {@code receivers} (none for a line people said). */
    void tell(Member from, long seq, long id, BrokerChannel channel, int receivers, boolean isStored) {
        if (from != null && from.present) {
            postman.send(from, new BrokerSent(seq, id, channel.name, receivers, isStored));
        }
    }

    /** A line people said in a room: to the receivers of the channel of that name, if it has any. */
    void roomSaid(String roomKey, Member from, String text) {
        var channel = channels.get(roomKey);
        boolean here = channel != null && !channel.receivers.isEmpty();
        if (!here && !remote.on()) {
            return;
        }
        String data = "{\"text\":" + Json.quote(text) + ",\"from\":" + Json.quote(from.name()) + "}";
        if (!here) {
            remote.elsewhere(roomKey, data); // no receiver here: only the other nodes' may want it
            return;
        }
        if (channel.pending.size() >= settings.pendingMax()) {
            dropped++;
            return;
        }
        relay(channel, new BrokerChannel.Message(nextId++, data, 0), null, 0, false);
    }

    // ---- Receiving ----

    /** A receiver processed {@code ids}: forgotten once everyone that got them has; then it gets more. */
    public void ack(Member receiver, List<Long> ids) {
        if (!RECEIVER.equals(receiver.brokerRole) || ids == null) {
            return;
        }
        var channel = channels.get(RoomNames.key(receiver.brokerChannel));
        if (channel == null) {
            return;
        }
        var done = new ArrayList<Long>();
        for (long id : ids) {
            var m = channel.pending.get(id);
            if (m == null || !m.holders.remove(receiver)) {
                continue; // not its own, or acknowledged already
            }
            receiver.brokerHolding--;
            acked++;
            m.ackers.add(receiver);
            if (done(channel, m)) {
                channel.pending.remove(id);
                if (m.rowId > 0) {
                    done.add(m.rowId);
                }
            }
        }
        if (!done.isEmpty()) {
            queue.forget(done);
        }
        pump(channel);
        forgetIfIdle(channel);
    }

    /** Gives each receiver of {@code channel} with room what it should get, in batches of record_limit. */
    void pump(BrokerChannel channel) {
        if (channel.loading) {
            return;
        }
        int active = activeCount(channel);
        for (int i = 0; i < active; i++) {
            var receiver = channel.receivers.get(i);
            if (receiver.receiving) {
                fill(channel, receiver);
            }
        }
    }

    private void fill(BrokerChannel channel, Member receiver) {
        int room = settings.recordLimit() - receiver.brokerHolding;
        if (room <= 0 || channel.pending.isEmpty()) {
            return;
        }
        int budget = postman.maxFrameBytes() - BATCH_OVERHEAD;
        var ids = new ArrayList<Long>(room);
        var data = new ArrayList<String>(room);
        var given = new ArrayList<BrokerChannel.Message>(room);
        for (var m : channel.pending.values()) {
            if (given.size() >= room) {
                break;
            }
            if (!eligible(channel, m, receiver)) {
                continue;
            }
            if (m.bytes > budget && !given.isEmpty()) {
                break; // the next batch takes it
            }
            budget -= m.bytes + 12;
            ids.add(m.id);
            data.add(m.data);
            given.add(m);
        }
        if (given.isEmpty()) {
            return;
        }
        var frame = postman.encode(new BrokerBatch(channel.name, ids, data));
        if (frame == null || !postman.post(receiver, frame)) {
            return; // its link is being dropped; what it would have held goes on at its leave
        }
        for (var m : given) {
            m.holders.add(receiver);
        }
        receiver.brokerHolding += given.size();
        delivered += given.size();
        postman.counted();
    }

    /**
     * Whether {@code m} has been through: acknowledged by someone, held by nobody, and owed to none of the active
     * receivers (a limit of 2 wants two acknowledgements while two receivers are there).
     */
    private boolean done(BrokerChannel channel, BrokerChannel.Message m) {
        if (!m.holders.isEmpty() || m.ackers.isEmpty()) {
            return false;
        }
        int active = activeCount(channel);
        for (int i = 0; i < active; i++) {
            if (eligible(channel, m, channel.receivers.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code m} should go to {@code receiver}, one of the channel's active receivers. */
    private boolean eligible(BrokerChannel channel, BrokerChannel.Message m, Member receiver) {
        if (m.offered || m.givenTo(receiver)) {
            return false;
        }
        int limit = receiversMax(channel);
        if (limit == 0) {
            return m.id > receiver.brokerAfterId || m.open();
        }
        return m.holders.size() + m.ackers.size() < limit;
    }

    /** How many of the channel's receivers, first attached first, get its messages. */
    int activeCount(BrokerChannel channel) {
        int limit = receiversMax(channel);
        return limit == 0 ? channel.receivers.size() : Math.min(limit, channel.receivers.size());
    }

    private int receiversMax(BrokerChannel channel) {
        return limit(channel.key);
    }

    /** The receiver limit of the channel {@code key}: its rule's, or the default; 0 for all. */
    int limit(String key) {
        return ChannelRule.receiversMax(settings.channels(), key, settings.receiversMax());
    }

    int pendingMax() {
        return settings.pendingMax();
    }

    private boolean keepData(BrokerChannel channel) {
        return ChannelRule.keepData(settings.channels(), channel.key, settings.keepData());
    }

    // ---- Channels ----

    /** The channel of that name, made (and its stored messages read back) on first use. */
    private BrokerChannel channel(String name) {
        String key = RoomNames.key(name);
        var channel = channels.get(key);
        if (channel != null) {
            return channel;
        }
        var made = new BrokerChannel(key, name);
        channels.put(key, made);
        if (queue.enabled()) {
            made.loading = true;
            queue.waiting(key, settings.pendingMax(), rows -> loaded(made, rows));
        }
        return made;
    }

    private void loaded(BrokerChannel channel, List<BrokerQueue.Waiting> rows) {
        channel.loading = false;
        if (rows == null) {
            log.accept("event=broker_load_failed channel=" + channel.name
                    + " reason=\"store down: stored messages come at the next receiver's login\"");
        } else {
            for (var row : rows) {
                if (!channel.pending.containsKey(row.id())) {
                    channel.pending.put(row.id(), new BrokerChannel.Message(row.id(), row.data(), row.rowId()));
                }
                nextId = Math.max(nextId, row.id() + 1);
            }
        }
        if (channels.get(channel.key) == channel) {
            pump(channel);
            remote.receiverWent(channel); // with no receiver here, the others may take what was read back
            forgetIfIdle(channel);
        }
    }

    /** A channel with no receivers and nothing pending is forgotten: it costs nothing while unused. */
    void forgetIfIdle(BrokerChannel channel) {
        if (!channel.loading && channel.receivers.isEmpty() && channel.pending.isEmpty()) {
            channels.remove(channel.key, channel);
        }
    }

    // ---- Reading ----

    /** Counts since start, and what waits now. */
    public record Stats(long sent, long delivered, long acked, long stored, long refused, long dropped, long pending) {}

    public Stats stats() {
        long pending = 0;
        for (var channel : channels.values()) {
            pending += channel.pending.size();
        }
        return new Stats(sent, delivered, acked, stored, refused, dropped, pending);
    }
}
