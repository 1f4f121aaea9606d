package io.forkcast.worker.chat;

import io.forkcast.protocol.text.Nicknames;
import java.util.Locale;

/**
 * The chat commands of every text client: one line in, one {@link Intent} out. A line that does not start with
 * {@code /} is said as it is; {@code //} sends a line beginning with {@code /}; commands are matched in any case.
 * Stateless; any thread.
 */
public final class ChatCommands {
    private static final Intent WHO = new Intent.Who();
    private static final Intent HELP = new Intent.Help();
    private static final Intent QUIT = new Intent.Quit();

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
            case "/who" -> WHO;
            case "/help" -> HELP;
            case "/quit" -> QUIT;
            default -> new Intent.Unknown(command);
        };
    }
}
