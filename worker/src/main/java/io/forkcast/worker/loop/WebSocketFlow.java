package io.forkcast.worker.loop;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.OpenAnswered;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.hub.HubSession;

/**
 * A WebSocket client's requests of the supervisor (the {@code Open} and {@code TaggedSay} intents): the opening
 * handshake's OpenRequested, which the supervisor accepts or refuses, and seed 001's tagged sends, kept until
 * acknowledged like a chat line. Inert for the other client kinds, which make none of these intents. Confined to
 * the worker's loop thread.
 */
final class WebSocketFlow {
    /** The lowest protocol level with the WebSocket messages. */
    private static final int WEBSOCKET_LEVEL = 6;

    private final FrontDoor front;
    private final HubSession hub;
    /** Ends the session when the hub's backlog stays full (a send found no room). */
    private final Runnable backlogFull;
    /** Ends the session after the opening was refused (the front door has answered 403). */
    private final Runnable refused;
    /** Set once the supervisor has accepted the opening: a repeated answer (after a resume) changes nothing. */
    private boolean open;

    WebSocketFlow(FrontDoor front, HubSession hub, Runnable backlogFull, Runnable refused) {
        this.front = front;
        this.hub = hub;
        this.backlogFull = backlogFull;
        this.refused = refused;
    }

    /** Takes the WebSocket's intents; true when {@code intent} was one (and was handled here). */
    boolean handles(Intent intent) {
        if (intent instanceof Intent.Open o) {
            if (hub.level() < WEBSOCKET_LEVEL || !hub.open(o.key(), o.secret(), o.tags())) {
                // Answered as the supervisor's refusal would be: an old or absent supervisor cannot say yes.
                front.render(new OpenAnswered(0, false, "this server does not take WebSocket clients now"), 0);
                refused.run();
            }
        } else if (intent instanceof Intent.TaggedSay t) {
            if (hub.level() < WEBSOCKET_LEVEL) {
                front.reply(new Reply.NotSupported("a message with tags"));
            } else if (!hub.keep(
                    seq -> new WorkerMessage.TaggedSaid(seq, t.message(), t.tags(), t.key(), t.secret()))) {
                backlogFull.run();
            }
        } else {
            return false;
        }
        return true;
    }

    /** Takes in an order from the supervisor, after it was shown: a refused opening ends the session. */
    void order(SupervisorMessage order) {
        if (order instanceof OpenAnswered a && !open) {
            open = a.accepted();
            if (!open) {
                refused.run();
            }
        }
    }
}
