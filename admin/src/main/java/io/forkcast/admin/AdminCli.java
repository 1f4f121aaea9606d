package io.forkcast.admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/forkcast admin [--socket PATH | --runtime-dir DIR] [--timeout SECONDS] COMMAND...}: sends one
 * command to the admin socket and prints the reply (the lines of a multi-line reply, without its markers).
 *
 * <p>Exit codes: 0 the server answered OK, 1 it answered ERROR, 2 bad usage (a line break in an argument among it:
 * nothing is sent) or no server to talk to (the socket is missing, refuses this user, or does not answer in time).
 */
public final class AdminCli {
    public static final int EXIT_OK = 0;
    public static final int EXIT_ERROR_REPLY = 1;
    public static final int EXIT_UNAVAILABLE = 2;

    private AdminCli() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) {
        Path socket = AdminClient.defaultSocket();
        Duration timeout = AdminClient.DEFAULT_TIMEOUT;
        var words = new ArrayList<String>();
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!words.isEmpty()) {
                    words.add(arg);
                } else if (arg.equals("--socket")) {
                    socket = Path.of(value(args, ++i, arg));
                } else if (arg.equals("--runtime-dir")) {
                    socket = Path.of(value(args, ++i, arg)).resolve("admin.sock");
                } else if (arg.equals("--timeout")) {
                    timeout = Duration.ofMillis((long) (Double.parseDouble(value(args, ++i, arg)) * 1000));
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    usage();
                    return EXIT_OK;
                } else if (arg.startsWith("--")) {
                    throw new IllegalArgumentException("unknown option " + arg);
                } else {
                    words.add(arg);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("forkcast: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        }
        if (words.isEmpty()) {
            usage();
            return EXIT_UNAVAILABLE;
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.indexOf('\r') >= 0 || word.indexOf('\n') >= 0) {
                // A line break would end the command there and run the rest as a second command.
                System.err.println("forkcast: argument " + (i + 1) + " of the command contains a line break (CR or LF);"
                        + " an admin command is one line");
                return EXIT_UNAVAILABLE;
            }
        }
        try (var client = AdminClient.connect(socket, timeout)) {
            for (var line : client.command(String.join(" ", words))) {
                System.out.println(line);
            }
            return EXIT_OK;
        } catch (AdminException.Refused e) {
            System.err.println("ERROR " + e.reason());
            return EXIT_ERROR_REPLY;
        } catch (AdminException e) {
            System.err.println("forkcast: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        } catch (IllegalArgumentException e) {
            System.err.println("forkcast: " + e.getMessage());
            return EXIT_UNAVAILABLE;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args.get(i);
    }

    private static void usage() {
        System.err.println("""
                usage: scripts/forkcast admin [--socket PATH | --runtime-dir DIR] [--timeout SECONDS] COMMAND...
                Sends one command to a running forkcast's admin socket (default: $FORKCAST_ADMIN_SOCKET, else
                run/admin.sock) and prints the reply. Commands: LIST, SEND MESSAGE <id> <text>, BROADCAST <text>,
                KICK <id> [reason], STATS, HELP (LIST JSON and STATS JSON for programs).
                Exit codes: 0 OK, 1 the server answered ERROR, 2 bad usage or no server to talk to.""");
    }
}
