package io.forkcast.worker.loop;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.hub.HubSession;

/**
 * The chat's intents, whatever the client kind: lines, {@code /me} and private lines kept until acknowledged,
 * requests to the supervisor (nick, who, rooms, topic, history), and what the worker answers itself (help,
 * unknown commands, usage). Confined to the worker's loop thread.
 */
final class ChatFlow {
    private final FrontDoor front;
    private final HubSession hub;
    /** Ends the session when the hub's backlog stays full. */
    private final Runnable backlogFull;
    /** Ends the session for {@code /quit}. */
    private final Runnable quit;

    ChatFlow(FrontDoor front, HubSession hub, Runnable backlogFull, Runnable quit) {
        this.front = front;
        this.hub = hub;
        this.backlogFull = backlogFull;
        this.quit = quit;
    }

    /** Acts on a chat intent that passed the flood limit; a kind's own intents were taken before. */
    void act(Intent intent) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (intent instanceof Intent.Say s) {
            if (!hub.say(s.text())) {
                backlogFull.run();
            }
        } else if (intent instanceof Intent.Act a) {
            if (!hub.act(a.action())) {
                backlogFull.run();
            }
        } else if (intent instanceof Intent.Nick n) {
            if (!hub.requestNumbered(seq -> new WorkerMessage.NickRequested(seq, n.nick()))) {
                front.reply(new Reply.NotConnected());
            }
        } else if (intent instanceof Intent.Who w) {
            WorkerMessage who = hub.speaksRooms()
                    ? new WorkerMessage.PeopleRequested(w.everyone())
                    : new WorkerMessage.WhoRequested();
            if (!hub.request(who)) {
                front.reply(new Reply.NotConnected());
            }
        } else if (intent instanceof Intent.Join j) {
            if (rooms(j.room() == null ? "/part" : "/join")) {
                connected(hub.requestNumbered(seq -> new WorkerMessage.JoinRequested(seq, j.room())));
            }
        } else if (intent instanceof Intent.Rooms) {
            if (rooms("/rooms")) {
                connected(hub.request(new WorkerMessage.RoomsRequested()));
            }
        } else if (intent instanceof Intent.Topic t) {
            if (rooms("/topic")) {
                connected(hub.request(new WorkerMessage.TopicRequested(t.topic())));
            }
        } else if (intent instanceof Intent.Private p) {
            if (rooms("/msg") && !hub.privately(p.nick(), null, p.text())) {
                backlogFull.run();
            }
        } else if (intent instanceof Intent.History h) {
            if (!hub.speaksAccounts()) {
                front.reply(new Reply.NotSupported("/history"));
            } else {
                connected(hub.request(new WorkerMessage.HistoryRequested(h.lines())));
            }
        } else if (intent instanceof Intent.ReplyPrivately r) {
            replyPrivately(r.text());
        } else if (intent instanceof Intent.Quit) {
            quit.run();
        } else if (intent instanceof Intent.Help) {
            front.reply(new Reply.Help());
        } else if (intent instanceof Intent.Unknown u) {
            front.reply(new Reply.UnknownCommand(u.command()));
        } else if (intent instanceof Intent.Usage u) {
            front.reply(new Reply.Usage(u.syntax()));
        } else if (intent instanceof Intent.Invalid i) {
            front.reply(new Reply.Invalid(i.problem()));
        } else if (!(intent instanceof Intent.Blank || intent instanceof Intent.KeepAlive)) {
            throw new IllegalArgumentException(
                    "no action for " + intent.getClass().getName());
        }
    }

    /** True when the supervisor speaks rooms; else the client is told {@code command} is not available. */
    private boolean rooms(String command) {
        if (hub.speaksRooms()) {
            return true;
        }
        front.reply(new Reply.NotSupported(command));
        return false;
    }

    private void connected(boolean sent) {
        if (!sent) {
            front.reply(new Reply.NotConnected());
        }
    }

    private void replyPrivately(String text) {
        var to = hub.lastPrivateFrom();
        if (to == null) {
            front.reply(new Reply.NoOneToReply());
        } else if (rooms("/reply") && !hub.privately(to.name(), new Address.Client(to.node(), to.clientId()), text)) {
            backlogFull.run();
        }
    }
}
