package io.forkcast.worker.front.telnet;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.Act;
import io.forkcast.protocol.message.SupervisorMessage.AdminMessage;
import io.forkcast.protocol.message.SupervisorMessage.AwayLines;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.Entered;
import io.forkcast.protocol.message.SupervisorMessage.HistoryLines;
import io.forkcast.protocol.message.SupervisorMessage.Joined;
import io.forkcast.protocol.message.SupervisorMessage.Left;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.SupervisorMessage.NickAccepted;
import io.forkcast.protocol.message.SupervisorMessage.NickRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.message.SupervisorMessage.PeopleList;
import io.forkcast.protocol.message.SupervisorMessage.PrivateSent;
import io.forkcast.protocol.message.SupervisorMessage.PrivateStored;
import io.forkcast.protocol.message.SupervisorMessage.Renamed;
import io.forkcast.protocol.message.SupervisorMessage.RoomJoined;
import io.forkcast.protocol.message.SupervisorMessage.RoomLeft;
import io.forkcast.protocol.message.SupervisorMessage.RoomList;
import io.forkcast.protocol.message.SupervisorMessage.Say;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.worker.front.Reply;
import java.util.function.Consumer;

/**
 * How a text client is shown the supervisor's orders and the worker's replies: one line each, {@code [name]
 * (pid): text}, {@code * name (pid) action}, {@code *** news}, without line endings (the front door adds its own:
 * CR LF for telnet, a text frame for a WebSocket's {@code ?format=text}). Confined to the worker's loop thread.
 */
public final class TelnetText {
    /** Where each line goes, without its ending. */
    private final Consumer<String> lines;
    /** How past lines are dated; made at the first one (java.time is loaded only by clients that see history). */
    private PastTimes times;

    /** The node of the client's supervisor, "" until told (or from a level 1 one); set at each welcome. */
    private String node = "";

    public TelnetText(Consumer<String> lines) {
        this.lines = lines;
    }

    /** The node of the client's supervisor: in a who list, someone of another node is shown with theirs. */
    public void node(String node) {
        this.node = node == null ? "" : node;
    }

    /** Shows an order from the supervisor; {@code selfId} is this client's id (a who list marks it). */
    public void render(SupervisorMessage order, long selfId) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (order instanceof Deliver d) {
            if (d.to() instanceof Address.Client) {
                writeLine("[" + d.from().name() + "] (" + d.from().pid() + ") privately: " + d.text());
            } else if (d.style() == SupervisorMessage.Style.ACT) {
                acted(d.from().name(), d.from().pid(), d.text());
            } else {
                said(d.from().name(), d.from().pid(), d.text());
            }
        } else if (order instanceof RoomJoined j) {
            writeLine("*** " + j.who().name() + " (" + j.who().pid() + ") joined #" + j.room());
        } else if (order instanceof RoomLeft l) {
            writeLine("*** " + l.who().name() + " (" + l.who().pid() + ") left "
                    + (l.to() == null ? "#" + l.room() : "for #" + l.to()));
        } else if (order instanceof Entered e) {
            entered(e);
        } else if (order instanceof PeopleList p) {
            people(p, selfId);
        } else if (order instanceof RoomList r) {
            rooms(r);
        } else if (order instanceof TopicChanged t) {
            writeLine("*** " + t.by().name() + " (" + t.by().pid() + ") set the topic of #" + t.room() + ": "
                    + t.topic());
        } else if (order instanceof PrivateSent p) {
            writeLine("*** to " + p.to() + ": " + p.text());
        } else if (order instanceof HistoryLines h) {
            history(h);
        } else if (order instanceof AwayLines a) {
            away(a);
        } else if (order instanceof LoggedIn l) {
            writeLine("*** you are logged in as " + l.user());
        } else if (order instanceof LoginRefused l) {
            writeLine("*** " + l.reason());
        } else if (order instanceof PrivateStored p) {
            writeLine("*** " + p.to() + " is away; the message will be delivered when they log in");
        } else if (order instanceof Say s) {
            said(s.fromName(), s.fromPid(), s.text());
        } else if (order instanceof Act a) {
            acted(a.fromName(), a.fromPid(), a.action());
        } else if (order instanceof Joined j) {
            writeLine("*** " + j.name() + " (" + j.pid() + ") joined");
        } else if (order instanceof Left l) {
            writeLine("*** " + l.name() + " (" + l.pid() + ") left");
        } else if (order instanceof Renamed r) {
            writeLine("*** " + r.oldName() + " (" + r.pid() + ") is now known as " + r.newName());
        } else if (order instanceof Notice n) {
            writeLine("*** " + n.text());
        } else if (order instanceof AdminMessage a) {
            writeLine("*** admin: " + a.text()); // as the Notice("admin: " + text) it replaces shows it
        } else if (order instanceof NickAccepted n) {
            writeLine("*** you are now known as " + n.nick());
        } else if (order instanceof NickRefused n) {
            writeLine("*** nickname " + n.nick() + " refused: " + n.reason());
        } else if (order instanceof WhoList w) {
            who(w, selfId);
        }
        // Anything else is the hub session's or the loop's business: nothing to show.
    }

    /** Shows something the worker itself tells its client. */
    public void reply(Reply reply) {
        if (reply instanceof Reply.UnknownCommand u) {
            writeLine("*** unknown command " + u.command() + ", try /help");
        } else if (reply instanceof Reply.Usage u) {
            writeLine("*** usage: " + u.syntax());
        } else if (reply instanceof Reply.Invalid i) {
            writeLine("*** " + i.problem());
        } else if (reply instanceof Reply.NotConnected) {
            writeLine("*** not connected to the server right now, try again in a moment");
        } else if (reply instanceof Reply.FloodDropped f) {
            writeLine("*** flood limit: lines dropped (at most " + f.linesPerSecond() + " lines/s)");
        } else if (reply instanceof Reply.Reconnecting) {
            writeLine("*** reconnecting to server...");
        } else if (reply instanceof Reply.Reconnected) {
            writeLine("*** reconnected");
        } else if (reply instanceof Reply.NotSupported n) {
            writeLine("*** " + n.command() + " is not available on this server");
        } else if (reply instanceof Reply.NoOneToReply) {
            writeLine("*** nobody has sent you a private message yet");
        } else if (reply instanceof Reply.LoginFirst) {
            writeLine("*** please log in first");
        } else if (reply instanceof Reply.AlreadyLoggedIn a) {
            writeLine("*** you are already logged in as " + a.user());
        } else if (reply instanceof Reply.Help) {
            help();
        } else if (reply instanceof Reply.Refused r) {
            writeLine("*** " + r.reason()); // the broker's replies: a telnet client gets none of them today
        } else if (reply instanceof Reply.Pong) {
            writeLine("*** pong");
        } else if (reply instanceof Reply.LoggedOut) {
            writeLine("*** logged out");
        } else {
            throw new IllegalArgumentException(
                    "no rendering for " + reply.getClass().getName());
        }
    }

    /** The banner, once the supervisor has admitted the client. */
    public void greet(String peer, long pid) {
        writeLine("Welcome to forkcast, you are " + peer + " (pid " + pid + "). Type /help for commands.");
    }

    /** A line of the worker's own ({@code *** text}), such as a goodbye. */
    public void notice(String text) {
        writeLine("*** " + text);
    }

    private void writeLine(String text) {
        lines.accept(text);
    }

    private void said(String name, long pid, String text) {
        writeLine("[" + name + "] (" + pid + "): " + text);
    }

    private void acted(String name, long pid, String action) {
        writeLine("* " + name + " (" + pid + ") " + action);
    }

    private void who(WhoList who, long selfId) {
        var entries = who.entries();
        writeLine("*** " + entries.length + (entries.length == 1 ? " person" : " people") + " connected:");
        for (var e : entries) {
            String you = e.id() == selfId ? " (you)" : "";
            String name = e.name().equals(e.peer()) ? e.peer() : e.name() + " " + e.peer();
            writeLine("***   " + name + " pid " + e.pid() + you);
        }
    }

    /** Where the client is now: on arriving, the room (and its topic); after a /join, a PeopleList follows. */
    private void entered(Entered e) {
        if (e.seq() == 0) {
            writeLine("*** you are in #" + e.room() + (e.topic() == null ? "" : ": " + e.topic()));
            return;
        }
        writeLine("*** you are now in #" + e.room());
        writeLine(
                e.topic() == null
                        ? "*** #" + e.room() + " has no topic"
                        : "*** topic of #" + e.room() + ": " + e.topic());
    }

    /** A who list of one room or of everyone, each with their room; a later part of a long list has no heading. */
    private void people(PeopleList list, long selfId) {
        String room = list.room();
        if (list.offset() == 0) {
            int n = list.total();
            String count = n + (n == 1 ? " person" : " people");
            writeLine(room == null ? "*** " + count + " connected:" : "*** " + count + " in #" + room + ":");
        }
        for (var p : list.people()) {
            var who = p.who();
            String name = who.name() == null || who.name().equals(p.peer()) ? p.peer() : who.name() + " " + p.peer();
            String where = room == null && p.room() != null ? " in #" + p.room() : "";
            // Someone on another node of a federation: its id is of that node, and /who * names the node.
            boolean elsewhere =
                    !node.isEmpty() && who.node() != null && !who.node().equals(node);
            String on = elsewhere && room == null ? " on node " + who.node() : "";
            writeLine("***   " + name + " pid " + who.pid() + where + on
                    + (who.clientId() == selfId && !elsewhere ? " (you)" : ""));
        }
    }

    private void rooms(RoomList list) {
        if (list.offset() == 0) {
            writeLine("*** " + list.total() + (list.total() == 1 ? " room:" : " rooms:"));
        }
        for (var r : list.rooms()) {
            String members = r.members() + (r.members() == 1 ? " person" : " people");
            writeLine("***   #" + r.name() + " (" + members + ")" + (r.topic() == null ? "" : ": " + r.topic()));
        }
    }

    /** A room's last lines: a heading with the first part, one line each, a closing line after the last part. */
    private void history(HistoryLines h) {
        if (h.total() == 0) {
            writeLine("*** no history in #" + h.room());
            return;
        }
        if (h.offset() == 0) {
            writeLine("--- last " + h.total() + (h.total() == 1 ? " line" : " lines") + " of #" + h.room() + " ---");
        }
        for (var line : h.lines()) {
            String when = times().format(line.time());
            writeLine(
                    line.style() == SupervisorMessage.Style.ACT
                            ? when + " * " + line.name() + " " + line.text()
                            : when + " [" + line.name() + "]: " + line.text());
        }
        if (h.offset() + h.lines().size() >= h.total()) {
            writeLine("--- end of history ---");
        }
    }

    /** Private lines kept while the client was away, like {@link #history}. */
    private void away(AwayLines a) {
        if (a.offset() == 0) {
            writeLine("--- " + a.total() + (a.total() == 1 ? " message" : " messages") + " while you were away ---");
        }
        for (var line : a.lines()) {
            writeLine(times().format(line.time()) + " [" + line.name() + "] privately: " + line.text());
        }
        if (a.offset() + a.lines().size() >= a.total()) {
            writeLine("--- end of messages ---");
        }
    }

    private PastTimes times() {
        if (times == null) {
            times = new PastTimes();
        }
        return times;
    }

    private void help() {
        writeLine("*** commands:");
        writeLine("***   /join ROOM      go to a room (made if it does not exist); /part goes back to the lobby");
        writeLine("***   /rooms          every room, with how many are in it and its topic");
        writeLine("***   /who            who is in your room; /who * lists everyone, with their rooms");
        writeLine("***   /topic [TEXT]   show or set the topic of your room");
        writeLine("***   /msg NICK TEXT  a private message; /reply TEXT answers the last one you got");
        writeLine("***   /nick NAME      take a nickname (1-32 characters, no spaces)");
        writeLine("***   /login USER     log in (the password is asked next, not shown)");
        writeLine("***   /history [N]    the last lines said in your room");
        writeLine("***   /me ACTION      say what you are doing");
        writeLine("***   /help           this list");
        writeLine("***   /quit           leave");
        writeLine("*** anything else you type goes to your room; start a line with // to send one beginning with /");
    }
}
