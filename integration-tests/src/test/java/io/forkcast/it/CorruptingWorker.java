package io.forkcast.it;

import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.message.WorkerMessage;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker main class for fault tests, started by the real supervisor through {@code --worker-main}. The first
 * worker of a runtime directory turns bad: it joins properly, then answers its client's first line by writing a
 * frame with a wrong checksum to the hub. Every later worker is the real one.
 */
public final class CorruptingWorker {
    private CorruptingWorker() {}

    public static void main(String[] args) throws Exception {
        Path hub = Path.of(args[indexOf(args, "--hub") + 1]);
        try {
            Files.createFile(hub.resolveSibling("corrupting-worker.claimed"));
        } catch (FileAlreadyExistsException taken) {
            io.forkcast.worker.Main.main(args);
            return;
        }
        var client = (SocketChannel) System.inheritedChannel();
        try (var link = SocketChannel.open(UnixDomainSocketAddress.of(hub))) {
            long pid = ProcessHandle.current().pid();
            link.write(new FrameEncoder(65536).encode(new WorkerMessage.Hello(pid, "corrupting")));
            link.read(ByteBuffer.allocate(4096)); // the Welcome
            client.write(ByteBuffer.wrap(("corrupting worker pid " + pid + "\r\n").getBytes(StandardCharsets.UTF_8)));
            client.read(ByteBuffer.allocate(4096));
            ByteBuffer frame = new FrameEncoder(65536).encode(new WorkerMessage.ClientSaid(1, "never relayed"));
            var bad = ByteBuffer.allocate(frame.remaining()).put(frame).flip();
            bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 0x55));
            link.write(bad);
            // The supervisor kills this process: block on the link until that happens (or the link closes).
            while (link.read(ByteBuffer.allocate(16)) >= 0) {
                // Nothing to do with anything the supervisor still sends.
            }
        }
    }

    private static int indexOf(String[] args, String flag) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag)) {
                return i;
            }
        }
        throw new IllegalArgumentException("missing " + flag);
    }
}
