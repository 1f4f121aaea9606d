package io.forkcast.it;

import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.message.WorkerMessage;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process that passes for an earlier supervisor's worker: started with the worker's main class name among its
 * arguments (what the supervisor checks in /proc/PID/cmdline), it connects to hub.sock, sends a Resume3 for any
 * client id and nickname it is given, then the lines it is given, and waits until the link closes.
 *
 * <p>{@code java -cp ... io.forkcast.it.ForgedWorker io.forkcast.worker.Main HUB CLIENT_ID NICK [LINE ...]}
 */
public final class ForgedWorker {
    static final String PEER = "127.0.0.9:9";

    private ForgedWorker() {}

    public static void main(String[] args) throws Exception {
        Path hub = Path.of(args[1]);
        long clientId = Long.parseLong(args[2]);
        String nick = args[3].equals("-") ? null : args[3];
        long pid = ProcessHandle.current().pid();
        var encoder = new FrameEncoder(65536);
        try (var link = SocketChannel.open(UnixDomainSocketAddress.of(hub))) {
            link.write(encoder.encode(new WorkerMessage.Resume3(3, pid, PEER, clientId, nick, "telnet", List.of())));
            for (int i = 4; i < args.length; i++) {
                link.write(encoder.encode(new WorkerMessage.ClientSaid(i - 3, args[i])));
            }
            // Whatever the supervisor sends is ignored; the link closes when it refuses us (or kills us).
            while (link.read(ByteBuffer.allocate(4096)) >= 0) {
                // Keep reading.
            }
        }
    }

    /** Starts one with the test's own class path; the caller destroys it. */
    static Process start(ForkcastServer server, long clientId, String nick, String... lines) throws IOException {
        var command = new ArrayList<String>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ForgedWorker.class.getName(),
                "io.forkcast.worker.Main",
                server.runtimeDir().resolve("hub.sock").toString(),
                Long.toString(clientId),
                nick == null ? "-" : nick));
        command.addAll(List.of(lines));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits for {@code process} to end (the supervisor closed its link or killed it). */
    static void awaitEnd(Process process) throws InterruptedException {
        if (!process.waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("forged worker " + process.pid() + " still running");
        }
    }
}
