package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Fcntl;
import jnr.posix.POSIX;

/**
 * Raw file descriptors of JDK channels. The JDK hides them; this reads them through {@code sun.nio.ch}, which
 * the launcher opens with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}. Thread-safe.
 */
public final class Fds {
    private static final int FD_CLOEXEC = 1;
    private static final Method GET_FD_VAL = lookup();

    private Fds() {}

    private static Method lookup() {
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot reach channel file descriptors; start the JVM with"
                            + " --add-opens java.base/sun.nio.ch=ALL-UNNAMED",
                    e);
        }
    }

    /** The descriptor number of a JDK socket or server-socket channel. */
    public static int of(Channel channel) {
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no file descriptor for " + channel, e);
        }
    }

    /** Marks {@code fd} close-on-exec, so that no spawned program inherits it. */
    public static void closeOnExec(POSIX posix, int fd) {
        posix.fcntlInt(fd, Fcntl.F_SETFD, FD_CLOEXEC);
    }

    /** The descriptors this process has open now, read from /proc/self/fd. */
    public static List<Integer> open() throws IOException {
        var fds = new ArrayList<Integer>();
        try (var entries = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (var entry : entries) {
                fds.add(Integer.parseInt(entry.getFileName().toString()));
            }
        }
        return fds;
    }
}
