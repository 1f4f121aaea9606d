package io.forkcast.worker.chat;

/**
 * What one line a client typed means, as {@link ChatCommands} parsed it: something to tell others, a request to
 * the supervisor, or something the worker answers itself. Immutable; any thread.
 */
public sealed interface Intent {
    /** A blank line: nothing to do (and it does not count against the flood limit). */
    Blank BLANK = new Blank();

    /** A blank line; see {@link #BLANK}. */
    record Blank() implements Intent {}

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
}
