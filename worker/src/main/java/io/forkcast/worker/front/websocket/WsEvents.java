package io.forkcast.worker.front.websocket;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.PastLine;
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
import io.forkcast.protocol.message.SupervisorMessage.TaggedLine;
import io.forkcast.protocol.message.SupervisorMessage.TaggedSent;
import io.forkcast.protocol.message.SupervisorMessage.TopicChanged;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.text.Json;
import io.forkcast.worker.front.Reply;
import io.forkcast.worker.front.telnet.TelnetText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How a WebSocket client is shown the supervisor's orders and the worker's replies: one JSON object per event,
 * with a {@code type} (docs/protocol.md lists them), every string quoted by {@link Json}. A reply's words are the
 * telnet client's, without the {@code ***}. Confined to the worker's loop thread.
 */
final class WsEvents {
    /** Where each event goes, as JSON text. */
    private final Consumer<String> events;
    /** Milliseconds since the epoch, for the time of a live line; {@code System::currentTimeMillis} but in tests. */
    private final LongSupplier wallClock;
    /** Renders a reply as the telnet client sees it; its lines become notice and error events. */
    private final TelnetText replies;
    /** Set while a reply is rendered: the type its lines are sent as. */
    private String replyType = "notice";
    /** The room the client is in, from the last Entered; null before one. */
    private String room;
    /** The highest tagged send number answered: an answer repeated after a supervisor restart is not shown. */
    private long taggedConfirmed;

    WsEvents(Consumer<String> events, LongSupplier wallClock) {
        this.events = events;
        this.wallClock = wallClock;
        this.replies = new TelnetText(line -> send(event(replyType).put("text", strip(line))));
    }

    /** The node of the client's supervisor, "" until told (or alone); someone of another node is shown with theirs. */
    private String node = "";

    /** The node of the client's supervisor, set at each welcome. */
    void node(String node) {
        this.node = node == null ? "" : node;
        replies.node(node);
    }

    /** The client's room as last entered, or null. */
    String room() {
        return room;
    }

    /** The first event of an open session. */
    void welcome(long id, long pid, String name) {
        send(event("welcome").put("id", id).put("pid", pid).put("name", name).put("room", room));
    }

    void prompt(boolean password) {
        send(event("login").put("prompt", password ? "password" : "user"));
    }

    void notice(String text) {
        send(event("notice").put("text", text));
    }

    /** Shows an order; {@code selfId} marks the client itself in who lists. */
    void render(SupervisorMessage order, long selfId) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (order instanceof Deliver d) {
            if (d.to() instanceof Address.Client) {
                send(event("private")
                        .put("from", d.from().name())
                        .put("pid", d.from().pid())
                        .put("text", d.text())
                        .put("time", wallClock.getAsLong()));
            } else {
                line(
                        room,
                        d.from().name(),
                        d.from().pid(),
                        d.from().clientId(),
                        d.text(),
                        d.style() == SupervisorMessage.Style.ACT);
            }
        } else if (order instanceof Entered e) {
            room = e.room();
            send(event("entered").put("room", e.room()).put("topic", e.topic()));
        } else if (order instanceof RoomJoined j) {
            send(event("join")
                    .put("room", j.room())
                    .put("name", j.who().name())
                    .put("pid", j.who().pid()));
        } else if (order instanceof RoomLeft l) {
            send(event("leave")
                    .put("room", l.room())
                    .put("name", l.who().name())
                    .put("pid", l.who().pid())
                    .put("to", l.to()));
        } else if (order instanceof PeopleList p) {
            people(p, selfId);
        } else if (order instanceof RoomList r) {
            rooms(r);
        } else if (order instanceof TopicChanged t) {
            send(event("topic").put("room", t.room()).put("by", t.by().name()).put("topic", t.topic()));
        } else if (order instanceof PrivateSent p) {
            send(event("private_sent").put("to", p.to()).put("text", p.text()));
        } else if (order instanceof PrivateStored p) {
            send(event("private_sent").put("to", p.to()).put("stored", true));
        } else if (order instanceof HistoryLines h) {
            send(event("history")
                    .put("room", h.room())
                    .put("total", h.total())
                    .put("offset", h.offset())
                    .put("lines", past(h.lines())));
        } else if (order instanceof AwayLines a) {
            send(event("away").put("total", a.total()).put("offset", a.offset()).put("lines", past(a.lines())));
        } else if (order instanceof LoggedIn l) {
            send(event("logged_in").put("user", l.user()));
        } else if (order instanceof LoginRefused l) {
            send(event("error").put("text", l.reason()));
        } else if (order instanceof NickAccepted n) {
            send(event("nick").put("new", n.nick()).put("self", true));
        } else if (order instanceof NickRefused n) {
            send(event("error").put("text", "nickname " + n.nick() + " refused: " + n.reason()));
        } else if (order instanceof Renamed r) {
            send(event("nick").put("old", r.oldName()).put("new", r.newName()).put("pid", r.pid()));
        } else if (order instanceof Notice n) {
            notice(n.text());
        } else if (order instanceof TaggedLine t) {
            send(event("message")
                    .put("message", t.message())
                    .put("from", t.from().name())
                    .put("tags", new LinkedHashMap<String, Object>(t.tags())));
        } else if (order instanceof TaggedSent t) {
            if (t.seq() > taggedConfirmed) {
                taggedConfirmed = t.seq();
                send(
                        t.refusal() == null
                                ? event("sent").put("receivers", t.receivers())
                                : event("error").put("text", t.refusal()));
            }
        } else if (order instanceof AdminMessage a) {
            send(event("admin").put("message", a.text()));
        } else if (order instanceof Say s) {
            line(null, s.fromName(), s.fromPid(), s.fromId(), s.text(), false);
        } else if (order instanceof Act a) {
            line(null, a.fromName(), a.fromPid(), a.fromId(), a.action(), true);
        } else if (order instanceof Joined j) {
            send(event("join").put("name", j.name()).put("pid", j.pid()));
        } else if (order instanceof Left l) {
            send(event("leave").put("name", l.name()).put("pid", l.pid()));
        } else if (order instanceof WhoList w) {
            var people = new ArrayList<Object>();
            for (var e : w.entries()) {
                people.add(new Event()
                        .put("name", e.name())
                        .put("pid", e.pid())
                        .put("peer", e.peer())
                        .put("you", e.id() == selfId ? Boolean.TRUE : null)
                        .map);
            }
            send(event("who").put("total", people.size()).put("offset", 0).put("people", people));
        }
        // Anything else is the hub session's, the loop's or the front door's business: nothing to show.
    }

    /** A reply of the worker's: an error for a refusal, a notice otherwise. */
    void reply(Reply reply) {
        boolean notice = reply instanceof Reply.Help
                || reply instanceof Reply.Reconnecting
                || reply instanceof Reply.Reconnected
                || reply instanceof Reply.Pong
                || reply instanceof Reply.LoggedOut;
        replyType = notice ? "notice" : "error";
        try {
            replies.reply(reply);
        } finally {
            replyType = "notice";
        }
    }

    /** An error event, for a request of the client's refused by the front door itself. */
    void error(String text) {
        send(event("error").put("text", text));
    }

    private void line(String inRoom, String from, long pid, long id, String text, boolean action) {
        var line = event("line")
                .put("room", inRoom)
                .put("from", from)
                .put("pid", pid)
                .put("id", id)
                .put("text", text)
                .put("time", wallClock.getAsLong());
        send(action ? line.put("action", true) : line);
    }

    private void people(PeopleList list, long selfId) {
        var people = new ArrayList<Object>();
        for (var p : list.people()) {
            var who = p.who();
            // Someone on another node of a federation: its id is of that node, so it is never "you".
            boolean elsewhere =
                    !node.isEmpty() && who.node() != null && !who.node().equals(node);
            people.add(new Event()
                    .put("name", who.name() == null ? p.peer() : who.name())
                    .put("pid", who.pid())
                    .put("room", p.room() != null ? p.room() : list.room())
                    .put("peer", p.peer())
                    .put("node", elsewhere ? who.node() : null)
                    .put("you", (who.clientId() == selfId && !elsewhere) ? Boolean.TRUE : null)
                    .map);
        }
        send(event("who")
                .put("room", list.room())
                .put("total", list.total())
                .put("offset", list.offset())
                .put("people", people));
    }

    private void rooms(RoomList list) {
        var rooms = new ArrayList<Object>();
        for (var r : list.rooms()) {
            rooms.add(new Event()
                    .put("name", r.name())
                    .put("members", r.members())
                    .put("topic", r.topic())
                    .map);
        }
        send(event("rooms")
                .put("total", list.total())
                .put("offset", list.offset())
                .put("rooms", rooms));
    }

    private static List<Object> past(List<PastLine> lines) {
        var out = new ArrayList<Object>();
        for (var line : lines) {
            out.add(new Event()
                    .put("time", line.time())
                    .put("from", line.name())
                    .put("text", line.text())
                    .put("action", line.style() == SupervisorMessage.Style.ACT)
                    .map);
        }
        return out;
    }

    /** A telnet reply line without its {@code *** } mark. */
    private static String strip(String line) {
        return line.startsWith("*** ") ? line.substring(4) : line;
    }

    private static Event event(String type) {
        return new Event().put("type", type);
    }

    private void send(Event event) {
        events.accept(Json.write(event.map));
    }

    /** A JSON object under construction; a null value leaves its key out. */
    private static final class Event {
        final Map<String, Object> map = new LinkedHashMap<>();

        Event put(String key, Object value) {
            if (value != null) {
                map.put(key, value);
            }
            return this;
        }
    }
}
