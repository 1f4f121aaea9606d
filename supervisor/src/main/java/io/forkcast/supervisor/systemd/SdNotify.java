package io.forkcast.supervisor.systemd;

import io.forkcast.protocol.log.EventLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * sd_notify(3) without libsystemd: one datagram per message to {@code $NOTIFY_SOCKET} (a path, or {@code @name}
 * for an abstract address), through jnr-unixsocket since the JDK has no datagram Unix sockets. Never blocks or
 * throws: what systemd cannot take is dropped, the first drop logged. NOTIFY_SOCKET unset: silent. Thread-safe.
 */
public final class SdNotify {
    private static final SdNotify DISABLED = new SdNotify(null, null, null, null);

    private final String socketName;
    private final UnixSocketAddress address;
    private final UnixDatagramChannel channel;
    private final EventLog log;
    private long dropped;

    private SdNotify(String socketName, UnixSocketAddress address, UnixDatagramChannel channel, EventLog log) {
        this.socketName = socketName;
        this.address = address;
        this.channel = channel;
        this.log = log;
    }

    /** Talks to {@code NOTIFY_SOCKET} from {@code env}, or does nothing when it is unset or unusable. */
    public static SdNotify fromEnvironment(Map<String, String> env, EventLog log) {
        String name = env.get("NOTIFY_SOCKET");
        if (name == null || name.isEmpty()) {
            return DISABLED;
        }
        if (!name.startsWith("/") && !name.startsWith("@")) {
            log.warn("event=notify_disabled socket=" + EventLog.quote(name)
                    + " reason=\"neither an absolute path nor an @abstract address\"");
            return DISABLED;
        }
        try {
            var channel = UnixDatagramChannel.open();
            channel.configureBlocking(false);
            // An abstract address is the name with a leading NUL byte in place of the '@'.
            String path = name.startsWith("@") ? "\0" + name.substring(1) : name;
            return new SdNotify(name, new UnixSocketAddress(path), channel, log);
        } catch (IOException | RuntimeException | LinkageError e) {
            log.warn("event=notify_disabled socket=" + EventLog.quote(name) + " error=" + EventLog.quote(e.toString()));
            return DISABLED;
        }
    }

    /** True when messages go somewhere. */
    public boolean enabled() {
        return channel != null;
    }

    /** The socket messages go to, as given in the environment; null when disabled. */
    public String socketName() {
        return socketName;
    }

    /** Sends {@code NAME=value} assignments as one message, e.g. {@code "READY=1", "STATUS=3 clients"}. */
    public synchronized void send(String... assignments) {
        if (channel == null) {
            return;
        }
        var message = ByteBuffer.wrap(String.join("\n", assignments).getBytes(StandardCharsets.UTF_8));
        try {
            if (channel.send(message, address) <= 0) {
                throw new IOException("the socket takes no more messages now");
            }
            if (dropped > 0) {
                log.info("event=notify_resumed socket=" + EventLog.quote(socketName) + " dropped=" + dropped);
                dropped = 0;
            }
        } catch (IOException | RuntimeException e) {
            if (dropped++ == 0) {
                log.warn("event=notify_failed socket=" + EventLog.quote(socketName) + " message="
                        + EventLog.quote(assignments[0]) + " error=" + EventLog.quote(String.valueOf(e.getMessage())));
            }
        }
    }
}
