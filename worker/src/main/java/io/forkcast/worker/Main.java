package io.forkcast.worker;

import io.forkcast.protocol.frame.FrameFormat;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.worker.hub.HubLink;
import io.forkcast.worker.session.Session;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Entry point of a worker JVM, started by the supervisor with the client's TCP socket as fd 0:
 * {@code java ... io.forkcast.worker.Main --hub <runtime-dir>/hub.sock [--max-frame-bytes N]
 * [--hub-reconnect-timeout-ms N]}.
 * Exit codes: 0 session ended, 2 bad arguments, 3 no hub or no welcome, 4 fd 0 is not a socket.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        var log = EventLog.of("role=worker pid=" + ProcessHandle.current().pid());
        Path hubPath = null;
        int maxFrameBytes = FrameFormat.DEFAULT_MAX_FRAME_BYTES;
        long reconnectMillis = 30_000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--hub" -> hubPath = value == null ? null : Path.of(value);
                case "--max-frame-bytes" -> maxFrameBytes = value == null ? -1 : Integer.parseInt(value);
                case "--hub-reconnect-timeout-ms" -> reconnectMillis = value == null ? -1 : Long.parseLong(value);
                default -> {
                    log.error("event=bad_args arg=" + EventLog.quote(args[i]));
                    System.exit(2);
                }
            }
            i++;
        }
        if (hubPath == null || maxFrameBytes <= FrameFormat.HEADER_BYTES || reconnectMillis < 0) {
            log.error("event=bad_args usage=\"--hub PATH [--max-frame-bytes N] [--hub-reconnect-timeout-ms N]\"");
            System.exit(2);
        }
        System.exit(run(hubPath, maxFrameBytes, java.time.Duration.ofMillis(reconnectMillis), log));
    }

    private static int run(Path hubPath, int maxFrameBytes, java.time.Duration reconnectTimeout, EventLog log) {
        SocketChannel client;
        try {
            if (!(System.inheritedChannel() instanceof SocketChannel socket)) {
                log.error("event=no_client reason=\"fd 0 is not a connected socket\"");
                return 4;
            }
            client = socket;
        } catch (IOException e) {
            log.error("event=no_client reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 4;
        }
        HubLink hub;
        try {
            hub = HubLink.connect(hubPath, maxFrameBytes);
        } catch (IOException e) {
            log.error("event=no_hub path=" + hubPath + " reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            try {
                client.write(java.nio.ByteBuffer.wrap("*** server unavailable\r\n".getBytes()));
                client.close();
            } catch (IOException ignored) {
                // The client is gone too; nothing left to tell.
            }
            return 3;
        }
        try {
            return new Session(client, hub, hubPath, maxFrameBytes, reconnectTimeout).run();
        } catch (IOException e) {
            log.error("event=session_failed reason=" + EventLog.quote(String.valueOf(e.getMessage())));
            return 1;
        }
    }
}
