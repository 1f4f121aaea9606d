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
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * Socket activation (sd_listen_fds(3)): when {@code LISTEN_PID} names this process, systemd has passed the chat
 * port as fd 3, bound and listening, and the supervisor serves it instead of binding its own. Called once, on
 * main, before the relay starts.
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

    /** The listener systemd passed to this process, or empty when it passed none (then the supervisor binds). */
    public static Optional<ServerSocketChannel> fromEnvironment(Map<String, String> env, long pid)
            throws StartupException {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null || !listenPid.strip().equals(Long.toString(pid))) {
            return Optional.empty();
        }
        int count;
        try {
            count = Integer.parseInt(listenFds.strip());
        } catch (NumberFormatException e) {
            throw new StartupException("socket activation: LISTEN_FDS is not a number: " + listenFds);
        }
        if (count == 0) {
            return Optional.empty();
        }
        if (count != 1) {
            throw new StartupException("socket activation passed " + count
                    + " sockets; forkcast serves one (a single ListenStream= in forkcast.socket)");
        }
        var libc = LibraryLoader.create(LibC.class).load("c");
        int domain = option(libc, SO_DOMAIN);
        int type = option(libc, SO_TYPE);
        int listening = option(libc, SO_ACCEPTCONN);
        if ((domain != AF_INET && domain != AF_INET6) || type != SOCK_STREAM || listening != 1) {
            throw new StartupException("socket activation: fd " + FIRST_FD + " is not a listening TCP socket (domain="
                    + domain + " type=" + type + " listening=" + listening
                    + "); forkcast.socket needs ListenStream=ADDRESS:PORT");
        }
        return Optional.of(adopt(domain == AF_INET ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6));
    }

    private static int option(LibC libc, int option) throws StartupException {
        int[] value = {0};
        int[] length = {Integer.BYTES};
        if (libc.getsockopt(FIRST_FD, SOL_SOCKET, option, value, length) != 0) {
            throw new StartupException(
                    "socket activation: fd " + FIRST_FD + " is not an open socket (getsockopt failed)");
        }
        return value[0];
    }

    /**
     * The JDK adopts an inherited socket only on fd 0, through {@code System.inheritedChannel()}, and closing that
     * channel points stdout and stderr at /dev/null. So the channel is built on fd 3 through {@code sun.nio.ch},
     * which the launcher opens with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}.
     */
    private static ServerSocketChannel adopt(ProtocolFamily family) throws StartupException {
        try {
            Method newFd = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("newFD", int.class);
            newFd.setAccessible(true);
            Constructor<?> channel = Class.forName("sun.nio.ch.ServerSocketChannelImpl")
                    .getDeclaredConstructor(
                            SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, boolean.class);
            channel.setAccessible(true);
            var fd = (FileDescriptor) newFd.invoke(null, FIRST_FD);
            return (ServerSocketChannel) channel.newInstance(SelectorProvider.provider(), family, fd, true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new StartupException("socket activation: cannot adopt fd " + FIRST_FD + " (" + e
                    + "); start the JVM with --add-opens java.base/sun.nio.ch=ALL-UNNAMED");
        }
    }
}
