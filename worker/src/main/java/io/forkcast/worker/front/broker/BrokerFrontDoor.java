package io.forkcast.worker.front.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.forkcast.protocol.message.Address;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.SupervisorMessage.BrokerAttached;
import io.forkcast.protocol.message.SupervisorMessage.BrokerBatch;
import io.forkcast.protocol.message.SupervisorMessage.BrokerRefused;
import io.forkcast.protocol.message.SupervisorMessage.BrokerSent;
import io.forkcast.protocol.message.SupervisorMessage.Deliver;
import io.forkcast.protocol.message.SupervisorMessage.LoggedIn;
import io.forkcast.protocol.message.SupervisorMessage.LoginRefused;
import io.forkcast.protocol.message.SupervisorMessage.Notice;
import io.forkcast.protocol.text.Json;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The broker client kind (seed 000's protocol, for programs): one JSON object per line of UTF-8, LF or CR LF,
 * each parsed by {@link BrokerCommands}; everything shown is one JSON object per line (CR LF) with a {@code
 * command}, and {@code error} on a failure. No banner and no prompts: a program logs in with its first line. Room
 * lines, joins and the like are not shown; a receiver gets its channel's messages as {@code message} batches.
 * Confined to the worker's loop thread.
 */
public final class BrokerFrontDoor implements FrontDoor {
    /** The kind's name, as given to {@code --kind} and sent in Hello2 / Resume4. */
    public static final String KIND = "broker";

    /** broker_max_message_bytes unless the supervisor passes another. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 65536;

    /** Where every rendered byte goes; the loop flushes it. */
    private final ClientOutput out;
    /** A send's data is refused past this many bytes of compact JSON (see BrokerCommands); fixed. */
    private final int maxMessageBytes;
    /** Strict: a line that is not UTF-8 is refused, not patched with U+FFFD. */
    private final CharsetDecoder decoder = UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Made with the first limits, resized by later ones; null until then (the client is not read before). */
    private BrokerLineDecoder lines;
    /** The decoder's sink: turns its lines into intents for the {@link #feed} under way. */
    private final Input input = new Input();
    /** The user of the last LoggedIn, named in the login line; null before. */
    private String user;
    /** Set once the client has been told its login succeeded: an attach repeated after a resume is not shown. */
    private boolean attachedShown;
    /** The highest send number confirmed: a confirmation repeated after a supervisor restart is not shown. */
    private long sentConfirmed;

    /** @param maxMessageBytes broker_max_message_bytes: the largest send's data, in bytes */
    public BrokerFrontDoor(ClientOutput out, int maxMessageBytes) {
        this.out = out;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void limits(SupervisorMessage.Limits limits) {
        if (lines == null) {
            lines = new BrokerLineDecoder(limits.maxLineBytes());
        } else {
            lines.setMaxLineBytes(limits.maxLineBytes());
        }
    }

    @Override
    public void greet(String peer, long pid) {
        // Nothing: 000's clients read a reply only after each request, and an unasked line would be taken for one.
    }

    @Override
    public void feed(ByteBuffer in, Consumer<Intent> intents) {
        input.intents = intents;
        try {
            lines.feed(in, input);
        } finally {
            input.intents = null;
        }
    }

    @Override
    public void stopFeed() {
        lines.stop();
    }

    @Override
    public void prompt(Prompt prompt) {
        // Nothing: a broker client logs in with its login command, whenever the server requires it.
    }

    @Override
    public void render(SupervisorMessage order, long selfId) {
        // An instanceof chain, not a pattern switch: see the worker's package comment.
        if (order instanceof BrokerBatch b) {
            batch(b);
        } else if (order instanceof BrokerSent s) {
            if (s.seq() > sentConfirmed) {
                sentConfirmed = s.seq();
                sent(s);
            }
        } else if (order instanceof BrokerRefused r) {
            write(error(r.command(), r.reason()));
        } else if (order instanceof BrokerAttached a) {
            if (!attachedShown) {
                attachedShown = true;
                var reply = reply("login");
                reply.put("username", user);
                reply.put("role", a.role());
                if (a.channel() != null) {
                    reply.put("channel", a.channel());
                }
                write(reply);
            }
        } else if (order instanceof Deliver d && d.to() instanceof Address.Client) {
            var reply = reply("private");
            reply.put("from", d.from().name());
            reply.put("text", d.text());
            write(reply);
        } else if (order instanceof Notice n) {
            notice(n.text());
        } else if (order instanceof LoggedIn l) {
            user = l.user(); // shown with the role, once BrokerAttached comes
        } else if (order instanceof LoginRefused l) {
            write(error("login", l.reason()));
        }
        // Anything else (room lines, joins, who lists) is for people: a program is not shown it.
    }

    @Override
    public void reply(Reply reply) {
        if (reply instanceof Reply.Refused r) {
            write(error(r.command(), r.reason()));
        } else if (reply instanceof Reply.Pong) {
            write(reply("pong"));
        } else if (reply instanceof Reply.LoggedOut) {
            write(reply("logout"));
        } else if (reply instanceof Reply.FloodDropped f) {
            write(error("error", "flood limit: lines dropped (at most " + f.linesPerSecond() + " lines/s)"));
        } else if (reply instanceof Reply.Reconnecting) {
            notice("reconnecting to server...");
        } else if (reply instanceof Reply.Reconnected) {
            notice("reconnected");
        } else if (reply instanceof Reply.NotConnected) {
            write(error("error", "not connected to the server right now, try again in a moment"));
        } else if (reply instanceof Reply.LoginFirst) {
            write(error("error", "log in first"));
        } else if (reply instanceof Reply.AlreadyLoggedIn) {
            write(error("login", "already logged in"));
        } else if (reply instanceof Reply.Invalid i) {
            write(error("error", i.problem()));
        } else if (reply instanceof Reply.NotSupported n) {
            write(error("error", n.command() + " is not available on this server"));
        }
        // The chat's own replies (help, usage, /reply) never come from a broker line.
    }

    @Override
    public void goodbye(String notice) {
        if (notice != null) {
            var reply = reply("close");
            reply.put("reason", notice);
            write(reply);
        }
    }

    // ---- rendering

    /** A batch for a receiver; a data string that is not JSON (a peer's bug) is shown as a JSON string. */
    private void batch(BrokerBatch b) {
        var data = new ArrayList<>(b.data().size());
        for (String d : b.data()) {
            Object value;
            try {
                value = Json.parse(d);
            } catch (Json.JsonException e) {
                value = d;
            }
            data.add(value);
        }
        var reply = reply("message");
        reply.put("channel", b.channel());
        reply.put("data", data);
        reply.put("ids", b.ids());
        write(reply);
    }

    private void sent(BrokerSent s) {
        var reply = reply("sent");
        reply.put("id", s.id());
        reply.put("channel", s.channel());
        reply.put("receivers", s.receivers());
        if (s.stored()) {
            reply.put("stored", true);
        }
        write(reply);
    }

    private void notice(String text) {
        var reply = reply("notice");
        reply.put("text", text);
        write(reply);
    }

    private static Map<String, Object> reply(String command) {
        var reply = new LinkedHashMap<String, Object>();
        reply.put("command", command);
        return reply;
    }

    private static Map<String, Object> error(String command, String reason) {
        var reply = reply(command);
        reply.put("error", reason);
        return reply;
    }

    private void write(Map<String, Object> reply) {
        var line = new StringBuilder(64);
        Json.write(reply, line);
        // CR LF, as telnet-minded tools expect; a reader that splits at LF gets a CR, which JSON takes as space.
        out.append(line.append("\r\n").toString().getBytes(UTF_8));
    }

    /** True for a line of nothing but JSON's whitespace (spaces, tabs, CRs). */
    private static boolean blank(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** What the line decoder finds in one feed: each line becomes one intent, an overlong one too. */
    private final class Input implements BrokerLineDecoder.Sink {
        /** Where the lines of the feed under way go; set for the length of that call. */
        private Consumer<Intent> intents;

        @Override
        public void line(byte[] bytes, int length) {
            String text;
            try {
                text = decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
            } catch (CharacterCodingException e) {
                intents.accept(new Intent.BrokerError("error", "invalid JSON: not UTF-8"));
                return;
            }
            // A blank line (a keep-alive, a stray CR LF) is no request; it still counts against the flood limit.
            intents.accept(blank(text) ? Intent.BLANK : BrokerCommands.parse(text, maxMessageBytes));
        }

        @Override
        public void lineTooLong(int maxLineBytes) {
            // An intent like any line, so that the flood limit counts it before its error is written.
            intents.accept(new Intent.BrokerError("error", "line too long (max " + maxLineBytes + " bytes)"));
        }
    }
}
