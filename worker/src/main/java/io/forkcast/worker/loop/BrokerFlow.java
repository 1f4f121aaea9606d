package io.forkcast.worker.loop;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerRefused;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.front.broker.BrokerCommands;
import io.forkcast.worker.hub.HubSession;

/**
 * A broker client's requests (the {@code Broker*} intents): its login, which is the account login followed by
 * the attach of its role and channel, then its sends (kept until acknowledged, like a chat line) or its acks.
 * Inert for the other client kinds, which make none of these intents. Confined to the worker's loop thread.
 *
 * <pre>
 *   OUT --login--> LOGGING_IN --LoggedIn--> ATTACHING --BrokerAttached--> ATTACHED (send or ack)
 *    ^                 | LoginRefused,          | BrokerRefused "login"        | BrokerRefused "login"
 *    +-----------------+ resumed meanwhile      +------------------------------+ (then login again: attach only)
 * </pre>
 */
final class BrokerFlow {
    /** The lowest protocol level with the broker's messages. */
    private static final int BROKER_LEVEL = 5;

    private enum State {
        OUT,
        /** LoginRequested sent, LoggedIn or LoginRefused awaited. */
        LOGGING_IN,
        /** BrokerAttach sent, BrokerAttached or BrokerRefused awaited. */
        ATTACHING,
        ATTACHED
    }

    private final FrontDoor front;
    private final HubSession hub;
    /** Ends the session when the hub's backlog stays full (a send found no room). */
    private final Runnable backlogFull;
    /** Ends the session after a logout was answered. */
    private final Runnable quit;

    private State state = State.OUT;
    /** The role of the login under way or done; the supervisor's answer replaces it. Null while OUT at first. */
    private String role;
    /** The login's channel: a receiver's, or a sender's default for send (null: none); like {@link #role}. */
    private String channel;

    BrokerFlow(FrontDoor front, HubSession hub, Runnable backlogFull, Runnable quit) {
        this.front = front;
        this.hub = hub;
        this.backlogFull = backlogFull;
        this.quit = quit;
    }

    /** Takes the broker's intents; true when {@code intent} was one (and was handled here). */
    boolean handles(Intent intent) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (intent instanceof Intent.BrokerSend s) {
            send(s);
        } else if (intent instanceof Intent.BrokerAck a) {
            ack(a);
        } else if (intent instanceof Intent.BrokerLogin l) {
            login(l);
        } else if (intent instanceof Intent.BrokerError e) {
            front.reply(new Reply.Refused(e.command(), e.reason()));
        } else if (intent instanceof Intent.BrokerPing) {
            front.reply(new Reply.Pong());
        } else if (intent instanceof Intent.BrokerLogout) {
            front.reply(new Reply.LoggedOut());
            quit.run();
        } else {
            return false;
        }
        return true;
    }

    /**
     * True for the requests of a client logged in with its role (send, ack, ping): a program's, which the line
     * flood limit does not drop; its bytes are still paced, and anything malformed still counts as a line.
     */
    boolean paced(Intent intent) {
        return state == State.ATTACHED
                && (intent instanceof Intent.BrokerSend
                        || intent instanceof Intent.BrokerAck
                        || intent instanceof Intent.BrokerPing);
    }

    /** Takes in an order from the supervisor, after it was shown. */
    void order(SupervisorMessage order) {
        if (order instanceof LoggedIn && state == State.LOGGING_IN) {
            attach();
        } else if (order instanceof LoginRefused && state == State.LOGGING_IN) {
            state = State.OUT;
        } else if (order instanceof BrokerAttached a) {
            state = State.ATTACHED;
            role = a.role();
            channel = a.channel() != null ? a.channel() : channel;
        } else if (order instanceof BrokerRefused r && "login".equals(r.command())) {
            state = State.OUT;
        }
    }

    /**
     * Back on a supervisor: an attached client's role went with Resume4 (the hub session repeats it), but a login
     * request is not kept, so one under way was lost and the client is told to try again.
     */
    void resumed() {
        if (state == State.LOGGING_IN) {
            state = State.OUT;
            front.reply(new Reply.Refused("login", "interrupted by a server restart, log in again"));
        }
    }

    private void login(Intent.BrokerLogin l) {
        if (state == State.ATTACHED) {
            front.reply(new Reply.Refused("login", "already logged in"));
        } else if (state != State.OUT) {
            front.reply(new Reply.Refused("login", "a login is already under way"));
        } else if (hub.level() < BROKER_LEVEL) {
            front.reply(new Reply.Refused("login", "this server does not speak the broker protocol"));
        } else if (hub.user() != null) {
            // Logged in, but the role was refused: the account is this connection's, only the role is asked again.
            if (!hub.user().equals(l.user())) {
                front.reply(new Reply.Refused("login", "already logged in as " + hub.user()));
            } else {
                take(l);
                attach();
            }
        } else if (hub.requestNumbered(seq -> new WorkerMessage.LoginRequested(seq, l.user(), l.password()))) {
            take(l);
            state = State.LOGGING_IN;
        } else {
            notConnected("login");
        }
    }

    private void take(Intent.BrokerLogin l) {
        role = l.role();
        channel = l.channel();
    }

    private void attach() {
        if (hub.brokerAttach(role, channel)) {
            state = State.ATTACHING;
        } else {
            state = State.OUT;
            notConnected("login");
        }
    }

    private void send(Intent.BrokerSend s) {
        String to = s.channel() != null ? s.channel() : channel;
        if (state != State.ATTACHED) {
            front.reply(new Reply.Refused("send", "log in first"));
        } else if (!BrokerCommands.SENDER.equals(role)) {
            front.reply(new Reply.Refused("send", "a receiver cannot send"));
        } else if (to == null) {
            front.reply(new Reply.Refused("send", "no channel: name one here or at login"));
        } else if (!hub.keep(seq -> new WorkerMessage.BrokerSend(seq, to, s.data()))) {
            backlogFull.run();
        }
    }

    private void ack(Intent.BrokerAck a) {
        if (state != State.ATTACHED) {
            front.reply(new Reply.Refused("ack", "log in first"));
        } else if (!BrokerCommands.RECEIVER.equals(role)) {
            front.reply(new Reply.Refused("ack", "a sender has nothing to ack"));
        } else if (!a.ids().isEmpty()) {
            // Not kept, and lost if the link is down right now: what is not acked is delivered again.
            hub.request(new WorkerMessage.BrokerAck(a.ids()));
        }
    }

    private void notConnected(String command) {
        front.reply(new Reply.Refused(command, "not connected to the server right now, try again in a moment"));
    }
}
