package io.forkcast.it;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker main class for boot-failure tests, started by the real supervisor through {@code --worker-main}. The
 * first worker of a runtime directory is the real one; every later one prints one line and exits 1 at once, as a
 * worker whose start fails would.
 */
public final class FailingWorker {
    static final String LINE = "failing worker: this build cannot start";

    private FailingWorker() {}

    public static void main(String[] args) throws Exception {
        Path hub = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--hub")) {
                hub = Path.of(args[i + 1]);
            }
        }
        try {
            Files.createFile(hub.resolveSibling("failing-worker.claimed"));
        } catch (FileAlreadyExistsException taken) {
            System.err.println();
            System.err.println(LINE);
            System.err.println("a second line that is not the first");
            System.exit(1);
        }
        io.forkcast.worker.Main.main(args);
    }
}
