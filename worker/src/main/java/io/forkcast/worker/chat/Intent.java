package io.forkcast.worker.chat;

import java.util.List;
import java.util.Map;

/**
 * What one line a client typed means, as {@link ChatCommands} parsed it: something to tell others, a request to
 * the supervisor, or something the worker answers itself. Immutable; any thread.
 */
public sealed interface Intent {
    /** A blank line: nothing to do (and it does not count against the flood limit). */
    Blank BLANK = new Blank();

    /** A blank line; see {@link #BLANK}. */
    record Blank() implements Intent {}

    /** A keep-alive from the client (a WebSocket ping or pong); see {@link #KEEP_ALIVE}. */
    KeepAlive KEEP_ALIVE = new KeepAlive();

    /**
     * A keep-alive control frame: counted by the flood limit like a blank line, but not input the idle timeout
     * counts, so that an open tab that only answers pings is still closed after idle_timeout.
     */
    record KeepAlive() implements Intent {}

    /** An ordinary line for everyone, with a leading {@code //} already turned into {@code /}. */
    record Say(String text) implements Intent {}

    /** {@code /me ACTION}. */
    record Act(String action) implements Intent {}

    /** {@code /nick NAME}, with a name that passed {@link io.forkcast.protocol.text.Nicknames#problem}. */
    record Nick(String nick) implements Intent {}

    /** {@code /who} (the people of one's room) or {@code /who *} ({@code everyone}: everyone, with their rooms). */
    record Who(boolean everyone) implements Intent {}

    /** {@code /join ROOM} ({@code room} checked by RoomNames, {@code #} dropped) or {@code /part} ({@code room} null). */
    record Join(String room) implements Intent {}

    /** {@code /rooms}. */
    record Rooms() implements Intent {}

    /** {@code /topic TEXT} (sets it) or {@code /topic} ({@code topic} null: shows it). */
    record Topic(String topic) implements Intent {}

    /** {@code /msg NICK TEXT}. */
    record Private(String nick, String text) implements Intent {}

    /** {@code /reply TEXT}: a private line to the last person who sent one. */
    record ReplyPrivately(String text) implements Intent {}

    /** {@code /login USER}: the worker asks for the password next. */
    record Login(String user) implements Intent {}

    /** The line typed at a {@code login:} prompt: a user name, the password is asked next. */
    record LoginName(String user) implements Intent {}

    /** The line typed at a {@code password:} prompt (echo off). Never shown, logged or kept. */
    record Password(String password) implements Intent {
        @Override
        public String toString() {
            return "Password[hidden]";
        }
    }

    /** {@code /history [N]}: the last lines of one's room; {@code lines} 0 is the server's default. */
    record History(int lines) implements Intent {}

    /** {@code /help}. */
    record Help() implements Intent {}

    /** {@code /quit}. */
    record Quit() implements Intent {}

    /** A slash command nobody knows, as typed in lower case ({@code /frob}). */
    record Unknown(String command) implements Intent {}

    /** A command without what it needs; {@code syntax} says how to use it ({@code /me ACTION}). */
    record Usage(String syntax) implements Intent {}

    /** A command whose argument was refused; {@code problem} says why, fit to show the client. */
    record Invalid(String problem) implements Intent {}

    // ---- The broker's commands (io.forkcast.worker.front.broker), one JSON object per line

    /**
     * {@code login}: the user and password to check, and the broker role ({@code sender} or {@code receiver}) to
     * take on {@code channel} (a room name without {@code #}; null for a sender without a default channel). The
     * password is never shown, logged or kept.
     */
    record BrokerLogin(String user, String password, String role, String channel) implements Intent {
        @Override
        public String toString() {
            return "BrokerLogin[user=" + user + ", password=hidden, role=" + role + ", channel=" + channel + "]";
        }
    }

    /** {@code send}: {@code data} is one JSON value in compact form; {@code channel} null is the login's. */
    record BrokerSend(String channel, String data) implements Intent {}

    /** {@code ack}: a receiver is done with the messages {@code ids}. */
    record BrokerAck(List<Long> ids) implements Intent {}

    /** {@code ping}: answered {@code pong} by the worker. */
    record BrokerPing() implements Intent {}

    /** {@code logout}: answered, then the session ends. */
    record BrokerLogout() implements Intent {}

    /**
     * A broker line refused before anything is done with it: {@code command} is the one the client named ({@code
     * error} when there was none to name), {@code reason} is fit to show it.
     */
    record BrokerError(String command, String reason) implements Intent {}

    // ---- WebSocket clients (io.forkcast.worker.front.websocket)

    /**
     * A WebSocket client's upgrade request passed the worker's checks: the supervisor decides ({@code key} and
     * {@code secret} from {@code ?key=&secret=}, null when absent; {@code tags} from {@code ?tags=}, empty for
     * none). The secret is never shown or logged.
     */
    record Open(String key, String secret, Map<String, String> tags) implements Intent {
        @Override
        public String toString() {
            return "Open[key=" + key + ", secret=hidden, tags=" + tags + "]";
        }
    }

    /** Seed 001's message with non-empty {@code tags}, and its {@code metadata} key and secret (null when none). */
    record TaggedSay(String message, Map<String, String> tags, String key, String secret) implements Intent {
        @Override
        public String toString() {
            return "TaggedSay[tags=" + tags + ", key=" + key + ", secret=hidden]";
        }
    }

    // ---- MQTT clients (io.forkcast.worker.front.mqtt)

    /**
     * An MQTT packet read and checked, as the hub message that carries it on: a CONNECT or PUBLISH with {@code seq}
     * 0 (the hub session numbers it), or a request that is not numbered. A CONNECT's password is hidden by the
     * message's own {@code toString}.
     */
    record Mqtt(io.forkcast.protocol.message.WorkerMessage message) implements Intent {}

    /**
     * The front door has already told its client why and is done with it (an HTTP answer, a WebSocket close): the
     * session ends, {@code cause} goes in the exit line. Not counted by the flood limit: it must not be dropped.
     */
    record Hangup(String cause) implements Intent {}
}
