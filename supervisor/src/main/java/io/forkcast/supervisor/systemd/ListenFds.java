package io.forkcast.supervisor.systemd;

import io.forkcast.supervisor.listen.Listeners.StartupException;
import java.io.FileDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * Socket activation (sd_listen_fds(3)): when {@code LISTEN_PID} names this process, systemd has passed the chat
 * port (and the broker port, named {@code broker}, the WebSocket port, named {@code websocket}, and the MQTT port,
 * named {@code mqtt}) from fd 3 on, bound and listening, and the supervisor serves them instead of binding its own.
 * Called once, on main, before the relay starts.
 */
public final class ListenFds {
    static final int FIRST_FD = 3;

    // Linux values, as sd_is_socket_inet(3) checks them.
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_DOMAIN = 39;
    private static final int SOCK_STREAM = 1;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;

    /** The one libc call needed here; jnr-ffi is already loaded for jnr-posix. */
    public interface LibC {
        int getsockopt(int fd, int level, int option, @Out int[] value, @In @Out int[] length);
    }

    private ListenFds() {}

    /**
     * The listeners systemd (or a predecessor in a planned restart) passed to this process, picked out by the names
     * in {@code LISTEN_FDNAMES}: {@code broker} is the broker port ({@code FileDescriptorName=broker} in
     * forkcast-broker.socket), the name websocket the WebSocket port ({@code FileDescriptorName=websocket} in
     * forkcast-websocket.socket), mqtt the MQTT port (forkcast-mqtt.socket), any other name the chat port. Any
     * may be null; all are when nothing was passed (then the supervisor binds).
     */
    public record Inherited(
            ServerSocketChannel chat,
            ServerSocketChannel broker,
            ServerSocketChannel webSocket,
            ServerSocketChannel mqtt) {
        /** Nothing inherited. */
        public static final Inherited NONE = new Inherited(null, null, null, null);

        public boolean any() {
            return chat != null || broker != null || webSocket != null || mqtt != null;
        }
    }

    /** The name that makes an inherited socket the broker port. */
    public static final String BROKER_NAME = "broker";

    /** The name that makes an inherited socket the WebSocket port. */
    public static final String WEBSOCKET_NAME = "websocket";

    /** The name that makes an inherited socket the MQTT port. */
    public static final String MQTT_NAME = "mqtt";

    /** The listeners passed to this process; {@link Inherited#NONE} when none were. */
    public static Inherited fromEnvironment(Map<String, String> env, long pid) throws StartupException {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null || !listenPid.strip().equals(Long.toString(pid))) {
            return Inherited.NONE;
        }
        int count;
        try {
            count = Integer.parseInt(listenFds.strip());
        } catch (NumberFormatException e) {
            throw new StartupException("socket activation: LISTEN_FDS is not a number: " + listenFds);
        }
        if (count == 0) {
            return Inherited.NONE;
        }
        String namesValue = env.getOrDefault("LISTEN_FDNAMES", "");
        var names = namesValue.isEmpty() ? new String[0] : namesValue.split(":", -1);
        if (count > 4) {
            throw new StartupException("socket activation passed " + count + " sockets (" + namesValue
                    + "); forkcast serves the chat port (forkcast.socket), the broker port (forkcast-broker.socket,"
                    + " FileDescriptorName=broker), the WebSocket port (forkcast-websocket.socket,"
                    + " FileDescriptorName=websocket) and the MQTT port (forkcast-mqtt.socket,"
                    + " FileDescriptorName=mqtt), one ListenStream= each");
        }
        var libc = LibraryLoader.create(LibC.class).load("c");
        ServerSocketChannel chat = null;
        ServerSocketChannel broker = null;
        ServerSocketChannel webSocket = null;
        ServerSocketChannel mqtt = null;
        for (int i = 0; i < count; i++) {
            int fd = FIRST_FD + i;
            String name = i < names.length ? names[i] : "";
            var channel = adopt(fd, family(libc, fd));
            if (BROKER_NAME.equals(name)) {
                if (broker != null) {
                    throw new StartupException("socket activation passed two sockets named broker");
                }
                broker = channel;
            } else if (MQTT_NAME.equals(name)) {
                if (mqtt != null) {
                    throw new StartupException("socket activation passed two sockets named mqtt");
                }
                mqtt = channel;
            } else if (WEBSOCKET_NAME.equals(name)) {
                if (webSocket != null) {
                    throw new StartupException("socket activation passed two sockets named websocket");
                }
                webSocket = channel;
            } else {
                if (chat != null) {
                    throw new StartupException("socket activation passed two chat sockets (" + namesValue
                            + "); the broker's socket unit needs FileDescriptorName=broker, the WebSocket one"
                            + " FileDescriptorName=websocket, the MQTT one FileDescriptorName=mqtt");
                }
                chat = channel;
            }
        }
        return new Inherited(chat, broker, webSocket, mqtt);
    }

    /** The family of the listening TCP socket on {@code fd}; anything else is refused. */
    private static ProtocolFamily family(LibC libc, int fd) throws StartupException {
        int domain = option(libc, fd, SO_DOMAIN);
        int type = option(libc, fd, SO_TYPE);
        int listening = option(libc, fd, SO_ACCEPTCONN);
        if ((domain != AF_INET && domain != AF_INET6) || type != SOCK_STREAM || listening != 1) {
            throw new StartupException("socket activation: fd " + fd + " is not a listening TCP socket (domain="
                    + domain + " type=" + type + " listening=" + listening
                    + "); a forkcast socket unit needs ListenStream=ADDRESS:PORT");
        }
        return domain == AF_INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
    }

    private static int option(LibC libc, int fd, int option) throws StartupException {
        int[] value = {0};
        int[] length = {Integer.BYTES};
        if (libc.getsockopt(fd, SOL_SOCKET, option, value, length) != 0) {
            throw new StartupException("socket activation: fd " + fd + " is not an open socket (getsockopt failed)");
        }
        return value[0];
    }

    /**
     * The JDK adopts an inherited socket only on fd 0, through {@code System.inheritedChannel()}, and closing that
     * channel points stdout and stderr at /dev/null. So the channel is built on fd 3 through {@code sun.nio.ch},
     * which the launcher opens with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}.
     */
    private static ServerSocketChannel adopt(int fdNumber, ProtocolFamily family) throws StartupException {
        try {
            Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
            newFd.setAccessible(true);
            Constructor<?> channel = Class.forName("sun.nio.ch.ServerSocketChannelImpl")
                    .getDeclaredConstructor(
                            SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            channel.setAccessible(true);
            var fd = (FileDescriptor) newFd.invoke(null, fdNumber);
            return (ServerSocketChannel) channel.newInstance(SelectorProvider.provider(), family, fd, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new StartupException("socket activation: cannot adopt fd " + fdNumber + " (" + e
                    + "); start the JVM with --add-opens java.base/sun.nio.ch=ALL-UNNAMED");
        }
    }
}
