package io.forkcast.worker;

import io.forkcast.protocol.frame.FrameFormat;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.Message;
import io.forkcast.protocol.message.SupervisorMessage;
import io.forkcast.protocol.message.WorkerMessage;
import io.forkcast.worker.hub.FdReceiver;
import io.forkcast.worker.hub.HubLink;
import io.forkcast.worker.session.Session;
import io.forkcast.worker.session.Warmup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Entry point of a worker JVM. Started by the supervisor either with the client's TCP socket as fd 0, or as a
 * spare ({@code --spare}) that connects to the hub first and is handed a client's socket later:
 * {@code java ... io.forkcast.worker.Main --hub <runtime-dir>/hub.sock [--spare] [--max-frame-bytes N]
 * [--hub-reconnect-timeout-ms N]}.
 *
 * <p>Exit codes: 0 session ended (or spare retired), 2 bad arguments, 3 no hub or no welcome, 4 no client socket.
 */
public final class Main {
    private static final EventLog LOG = EventLog.of("role=worker pid=" + ProcessHandle.current().pid());

    private Main() {}

    public static void main(String[] args) {
        Path hubPath = null;
        boolean spare = false;
        int maxFrameBytes = FrameFormat.DEFAULT_MAX_FRAME_BYTES;
        long reconnectMillis = 30_000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--hub" -> hubPath = value == null ? null : Path.of(value);
                case "--max-frame-bytes" -> maxFrameBytes = value == null ? -1 : Integer.parseInt(value);
                case "--hub-reconnect-timeout-ms" -> reconnectMillis = value == null ? -1 : Long.parseLong(value);
                case "--spare" -> {
                    spare = true;
                    continue;
                }
                default -> {
                    LOG.error("event=bad_args arg=" + EventLog.quote(args[i]));
                    System.exit(2);
                }
            }
            i++;
        }
        if (hubPath == null || maxFrameBytes <= FrameFormat.HEADER_BYTES || reconnectMillis < 0) {
            LOG.error("event=bad_args usage=\"--hub PATH [--spare] [--max-frame-bytes N] [--hub-reconnect-timeout-ms N]\"");
            System.exit(2);
        }
        var reconnect = Duration.ofMillis(reconnectMillis);
        System.exit(spare ? runSpare(hubPath, maxFrameBytes, reconnect) : run(hubPath, maxFrameBytes, reconnect));
    }

    private static int run(Path hubPath, int maxFrameBytes, Duration reconnectTimeout) {
        SocketChannel client;
        try {
            if (!(System.inheritedChannel() instanceof SocketChannel socket)) {
                LOG.error("event=no_client reason=\"fd 0 is not a connected socket\"");
                return 4;
            }
            client = socket;
        } catch (IOException e) {
            LOG.error("event=no_client reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 4;
        }
        HubLink hub;
        try {
            hub = HubLink.connect(hubPath, maxFrameBytes);
        } catch (IOException e) {
            LOG.error("event=no_hub path=" + hubPath + " reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            try (client) {
                client.write(ByteBuffer.wrap("*** server unavailable\r\n".getBytes(StandardCharsets.UTF_8)));
            } catch (IOException ignored) {
                // The client is gone too; nothing left to tell.
            }
            return 3;
        }
        return serve(client, hub, hubPath, maxFrameBytes, reconnectTimeout);
    }

    private static int serve(SocketChannel client, HubLink hub, Path hubPath, int maxFrameBytes, Duration reconnect) {
        try {
            return new Session(client, hub, hubPath, maxFrameBytes, reconnect).run();
        } catch (IOException e) {
            LOG.error("event=session_failed reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    /**
     * A spare: connect, say Ready, and wait (blocked in recvmsg, costing nothing) until the supervisor hands over
     * a client's socket with an Assign frame, or retires this worker.
     */
    private static int runSpare(Path hubPath, int maxFrameBytes, Duration reconnectTimeout) {
        HubLink hub;
        SocketChannel client = null;
        try {
            Warmup.run(maxFrameBytes);
            FdReceiver.warmUp();
            hub = HubLink.connect(hubPath, maxFrameBytes);
            hub.send(new WorkerMessage.Ready(ProcessHandle.current().pid()));
            hub.flush();
            hub.channel().configureBlocking(true);
            int hubFd = FdReceiver.fdOf(hub.channel());
            while (client == null) {
                var received = FdReceiver.receive(hubFd, 4096);
                if (received.bytes().length == 0) {
                    return 0; // The supervisor went away before this spare was needed.
                }
                var messages = new ArrayList<Message>();
                hub.decode(ByteBuffer.wrap(received.bytes()), messages::add);
                if (received.fd() >= 0) {
                    FdReceiver.moveToStdin(received.fd());
                    if (!(System.inheritedChannel() instanceof SocketChannel socket)) {
                        LOG.error("event=no_client reason=\"handed descriptor is not a connected socket\"");
                        return 4;
                    }
                    client = socket;
                } else if (messages.stream().anyMatch(m -> m instanceof SupervisorMessage.Disconnect)) {
                    return 0; // Retired.
                }
            }
            hub.channel().configureBlocking(false);
        } catch (IOException | ProtocolException e) {
            LOG.error("event=spare_failed reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 3;
        }
        return serve(client, hub, hubPath, maxFrameBytes, reconnectTimeout);
    }
}
