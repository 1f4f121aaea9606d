package io.forkcast.it;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.message.SupervisorMessage.WhoList;
import io.forkcast.protocol.message.WorkerMessage;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker main class for /who tests, started by the real supervisor through {@code --worker-main}: the first
 * worker of a runtime directory speaks protocol level 1, as a worker from before room lists did. When its client
 * sends a line it asks for the who list, and shows its client each WhoList part as {@code who part: NAME,NAME,...}.
 * Every later worker is the real one.
 */
public final class OldWhoWorker {
    private OldWhoWorker() {}

    public static void main(String[] args) throws Exception {
        Path hub = Path.of(args[indexOf(args, "--hub") + 1]);
        try {
            Files.createFile(hub.resolveSibling("old-who-worker.claimed"));
        } catch (FileAlreadyExistsException taken) {
            io.forkcast.worker.Main.main(args);
            return;
        }
        var client = (SocketChannel) System.inheritedChannel();
        try (var link = SocketChannel.open(UnixDomainSocketAddress.of(hub))) {
            long pid = ProcessHandle.current().pid();
            var encoder = new FrameEncoder(65536);
            link.write(encoder.encode(new WorkerMessage.Hello(pid, "old")));
            write(client, "old worker pid " + pid);
            client.read(ByteBuffer.allocate(4096)); // any line: the client wants the list
            link.write(encoder.encode(new WorkerMessage.WhoRequested()));
            var decoder = new FrameDecoder(1 << 20);
            var buffer = ByteBuffer.allocate(64 * 1024);
            var parts = new ArrayList<String>();
            while (link.read(buffer.clear()) >= 0) {
                decoder.feed(buffer.flip(), message -> {
                    if (message instanceof WhoList who) {
                        var names = new ArrayList<String>();
                        for (var entry : who.entries()) {
                            names.add(entry.name());
                        }
                        parts.add("who part: " + String.join(",", names));
                    }
                });
                for (String part : parts) {
                    write(client, part);
                }
                parts.clear();
            }
        }
    }

    private static void write(SocketChannel client, String line) throws java.io.IOException {
        var bytes = ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    private static int indexOf(String[] args, String flag) {
        return List.of(args).indexOf(flag);
    }
}
