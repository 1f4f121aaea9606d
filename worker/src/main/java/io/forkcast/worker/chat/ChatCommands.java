package io.forkcast.worker.chat;

import io.forkcast.protocol.text.Nicknames;
import io.forkcast.protocol.text.RoomNames;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The chat commands of every text client: one line in, one {@link Intent} out. A line that does not start with
 * {@code /} is said as it is; {@code //} sends a line beginning with {@code /}; commands are matched in any case.
 * Stateless; any thread.
 */
public final class ChatCommands {
    private static final Intent WHO = new Intent.Who(false);
    private static final Intent WHO_ALL = new Intent.Who(true);
    private static final Intent ROOMS = new Intent.Rooms();
    private static final Intent PART = new Intent.Join(null);
    private static final Intent SHOW_TOPIC = new Intent.Topic(null);
    private static final Intent HELP = new Intent.Help();
    private static final Intent QUIT = new Intent.Quit();

    /** The longest topic, in UTF-8 bytes (the supervisor checks it too). */
    public static final int MAX_TOPIC_BYTES = 200;

    private ChatCommands() {}

    /** What {@code line} (decoded and cleaned, without its line ending) asks for. */
    public static Intent parse(String line) {
        if (line.isBlank()) {
            return Intent.BLANK;
        }
        if (!line.startsWith("/")) {
            return new Intent.Say(line);
        }
        if (line.startsWith("//")) {
            return new Intent.Say(line.substring(1));
        }
        int space = line.indexOf(' ');
        String command = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1).strip();
        return switch (command) {
            case "/nick" -> {
                String problem = Nicknames.problem(argument);
                yield problem == null ? new Intent.Nick(argument) : new Intent.Invalid(problem);
            }
            case "/me" -> argument.isEmpty() ? new Intent.Usage("/me ACTION") : new Intent.Act(argument);
            case "/who" -> argument.equals("*") ? WHO_ALL : WHO;
            case "/join" -> join(argument);
            case "/part" -> PART;
            case "/rooms" -> ROOMS;
            case "/topic" -> topic(argument);
            case "/msg" -> privately(argument);
            case "/reply" -> argument.isEmpty() ? new Intent.Usage("/reply TEXT") : new Intent.ReplyPrivately(argument);
            case "/login" -> login(argument);
            case "/history" -> history(argument);
            case "/help" -> HELP;
            case "/quit" -> QUIT;
            default -> new Intent.Unknown(command);
        };
    }

    /** The most lines {@code /history N} may ask for; the supervisor caps it to its history_max. */
    public static final int MAX_HISTORY_LINES = 10_000;

    private static Intent login(String argument) {
        if (argument.isEmpty()) {
            return new Intent.Usage("/login USER");
        }
        String problem = Nicknames.problem(argument);
        return problem == null ? new Intent.Login(argument) : new Intent.Invalid("no such user name: " + problem);
    }

    private static Intent history(String argument) {
        if (argument.isEmpty()) {
            return new Intent.History(0);
        }
        int lines;
        try {
            lines = Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            lines = -1;
        }
        if (lines < 1 || lines > MAX_HISTORY_LINES) {
            return new Intent.Usage("/history [N], N a number of lines from 1 to " + MAX_HISTORY_LINES);
        }
        return new Intent.History(lines);
    }

    private static Intent join(String argument) {
        if (argument.isEmpty()) {
            return new Intent.Usage("/join ROOM");
        }
        String room = RoomNames.strip(argument);
        String problem = RoomNames.problem(room);
        return problem == null ? new Intent.Join(room) : new Intent.Invalid(problem);
    }

    private static Intent topic(String argument) {
        if (argument.isEmpty()) {
            return SHOW_TOPIC;
        }
        int bytes = argument.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_TOPIC_BYTES) {
            return new Intent.Invalid("a topic has at most " + MAX_TOPIC_BYTES + " bytes, this one has " + bytes);
        }
        return new Intent.Topic(argument);
    }

    private static Intent privately(String argument) {
        int space = argument.indexOf(' ');
        String text = space < 0 ? "" : argument.substring(space + 1).strip();
        if (space < 0 || text.isEmpty()) {
            return new Intent.Usage("/msg NICK TEXT");
        }
        return new Intent.Private(argument.substring(0, space), text);
    }
}
