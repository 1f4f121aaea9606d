package io.forkcast.worker.front.telnet;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.worker.chat.ChatCommands;
import io.forkcast.worker.chat.Intent;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.Reply;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The telnet client kind: lines of UTF-8 text ended by CR LF, telnet options refused ({@link LineDiscipline}),
 * every line typed parsed by {@link ChatCommands}, and everything shown as one text line: {@code [name] (pid):
 * text}, {@code * name (pid) action}, {@code *** news}. Confined to the worker's loop thread.
 */
public final class TelnetFrontDoor implements FrontDoor {
    /** The kind's name, as given to {@code --kind} and sent in Hello2 / Resume2. */
    public static final String KIND = "telnet";

    private static final byte[] CRLF = {'\r', '\n'};

    /** Where every rendered byte goes; the loop flushes it. */
    private final ClientOutput out;
    /** Made with the first limits, resized by later ones; null until then (the client is not read before). */
    private LineDiscipline discipline;
    /** The discipline's sink: turns its lines into intents for the {@link #feed} under way. */
    private final Input input = new Input();
    /** What the next line answers, or null for an ordinary line; set by {@link #prompt}, cleared by that line. */
    private Prompt prompting;
    /** Renders orders and replies as lines; each goes out with CR LF. */
    private final TelnetText text = new TelnetText(this::writeLine);

    public TelnetFrontDoor(ClientOutput out) {
        this.out = out;
    }

    @Override
    public void limits(SupervisorMessage.Limits limits) {
        if (discipline == null) {
            discipline = new LineDiscipline(limits.maxLineBytes());
        } else {
            discipline.setMaxLineBytes(limits.maxLineBytes());
        }
    }

    @Override
    public void greet(String peer, long pid) {
        text.greet(peer, pid);
    }

    @Override
    public void feed(ByteBuffer in, Consumer<Intent> intents) {
        input.intents = intents;
        try {
            discipline.feed(in, input);
        } finally {
            input.intents = null;
        }
    }

    @Override
    public void prompt(Prompt prompt) {
        prompting = prompt;
        if (prompt == Prompt.PASSWORD) {
            out.append("password: ".getBytes(UTF_8));
            out.append(discipline.hideInput());
        } else {
            out.append("login: ".getBytes(UTF_8));
        }
    }

    @Override
    public void stopFeed() {
        discipline.stop();
    }

    @Override
    public void render(SupervisorMessage order, long selfId) {
        if (order instanceof SupervisorMessage.DeliverRendered line) {
            out.append(line.text()); // the supervisor rendered it as TelnetText would (TelnetLine)
        } else {
            text.render(order, selfId);
        }
    }

    @Override
    public void node(String node) {
        text.node(node);
    }

    @Override
    public void reply(Reply reply) {
        text.reply(reply);
    }

    @Override
    public void goodbye(String notice) {
        if (notice != null) {
            writeLine("*** " + notice);
        }
    }

    // ---- rendering

    private void writeLine(String text) {
        out.append(text.getBytes(UTF_8));
        out.append(CRLF);
    }

    /** What the line discipline finds in one feed: lines become intents, telnet replies and errors go out. */
    private final class Input implements LineDiscipline.Sink {
        /** Where the lines of the feed under way go; set for the length of that call. */
        private Consumer<Intent> intents;

        @Override
        public void line(String text) {
            var prompt = prompting;
            prompting = null;
            if (prompt == Prompt.PASSWORD) {
                // The client's Enter was not echoed: give it its echo back, then end the prompt's line.
                out.append(discipline.showInput());
                out.append(CRLF);
                intents.accept(new Intent.Password(text));
            } else if (prompt == Prompt.USER) {
                intents.accept(new Intent.LoginName(text.strip()));
            } else {
                intents.accept(ChatCommands.parse(text));
            }
        }

        @Override
        public void reply(byte[] telnetBytes) {
            out.append(telnetBytes);
        }

        @Override
        public void lineTooLong(int maxLineBytes) {
            // An intent like any line, so that the flood limit counts it before its notice is written.
            intents.accept(new Intent.Invalid("line too long (max " + maxLineBytes + " bytes)"));
        }
    }
}
