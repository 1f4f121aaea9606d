package io.forkcast.it;

import io.forkcast.protocol.log.EventLog;
import io.forkcast.supervisor.store.Result;
import io.forkcast.supervisor.store.Store;
import io.forkcast.supervisor.store.StoreSettings;
import io.forkcast.supervisor.store.StoredLine;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM holding one store, for the tests that must see its log lines or kill it with -9: reads commands on
 * stdin ({@code append N PREFIX}, {@code stats}, {@code quit}) and prints each answer on stdout as it comes,
 * from a single-thread "loop" executor: {@code ok <text> <id>} only after COMMIT, {@code failed <text> <reason>}.
 * Arguments: url user password queueMax retryFirstMillis retryMaxMillis room.
 */
public final class StoreDriver {
    private StoreDriver() {}

    public static void main(String[] args) throws Exception {
        var out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        var settings = new StoreSettings(
                args[0],
                args[1].equals("-") ? null : args[1],
                args[2].equals("-") ? null : args[2],
                Integer.parseInt(args[3]),
                Duration.ofMillis(Long.parseLong(args[4])),
                Duration.ofMillis(Long.parseLong(args[5])),
                StoreSettings.DEFAULT_HISTORY_KEEP);
        var room = args[6];
        var loop = Executors.newSingleThreadExecutor();
        var store = Store.open(settings, loop, EventLog.of("role=store-driver"));
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = in.readLine()) != null; ) {
            var words = command.split(" ", -1);
            switch (words[0]) {
                case "append" -> {
                    int n = Integer.parseInt(words[1]);
                    int accepted = 0;
                    int refused = 0;
                    for (int i = 0; i < n; i++) {
                        var text = words[2] + "-" + i;
                        var line = new StoredLine(
                                0, room, System.currentTimeMillis(), "say", "driver", null, "it", 1, text);
                        if (store.appendLine(line, result -> out.println(answer(text, result)))) {
                            accepted++;
                        } else {
                            refused++;
                        }
                    }
                    out.println("appended " + words[2] + " accepted=" + accepted + " refused=" + refused);
                }
                case "stats" -> out.println("stats " + store.stats().fields());
                case "quit" -> {
                    store.close();
                    loop.shutdown();
                    loop.awaitTermination(10, TimeUnit.SECONDS);
                    out.println("closed " + store.stats().fields());
                    return;
                }
                default -> out.println("unknown command " + command);
            }
        }
    }

    private static String answer(String text, Result<Long> result) {
        return switch (result) {
            case Result.Ok<Long>(var id) -> "ok " + text + " " + id;
            case Result.Failed<Long>(var reason) -> "failed " + text + " " + reason;
            default -> "answer " + text + " " + result;
        };
    }
}
