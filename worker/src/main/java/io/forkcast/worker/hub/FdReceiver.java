package io.forkcast.worker.hub;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;
import java.util.Arrays;

/**
 * Receives a client socket passed by the supervisor over the hub link (SCM_RIGHTS): {@code recvmsg}, then {@code
 * dup2} onto fd 0 so that {@link System#inheritedChannel()} returns it as a SocketChannel. Through the worker's
 * JNI helper ({@link JniFd}) when it loads, else through the JDK's foreign function API ({@link FfmFd}), which
 * costs a spare about twice the CPU and memory. Used only by spare workers, and only once, so nothing of it
 * loads in a worker started for a client. Confined to the spare's main thread. Linux.
 */
public final class FdReceiver {
    private static final int EINTR = 4;

    /** Null when the JNI helper loaded; otherwise why not, and the FFM path is used. Decided once. */
    private static final String JNI_UNAVAILABLE = JniFd.load();

    private FdReceiver() {}

    /** What one recvmsg brought: bytes (empty at end of stream) and a descriptor, or -1 when none came. */
    @SuppressWarnings("ArrayRecordComponent") // handed from one recvmsg to its caller: never compared or hashed
    public record Received(byte[] bytes, int fd) {}

    /** Null when the JNI helper is in use; otherwise why it could not load (the FFM path is used instead). */
    public static String jniUnavailable() {
        return JNI_UNAVAILABLE;
    }

    /** One blocking {@code recvmsg} of up to {@code maxBytes} on {@code socketFd}, retried on EINTR. */
    public static Received receive(int socketFd, int maxBytes) throws IOException {
        if (JNI_UNAVAILABLE != null) {
            return FfmFd.receive(socketFd, maxBytes);
        }
        var bytes = new byte[maxBytes];
        var fd = new int[] {-1};
        int n;
        do {
            n = JniFd.receive(socketFd, bytes, fd);
        } while (n == -EINTR);
        if (n < 0) {
            throw new IOException("recvmsg failed: errno " + -n);
        }
        return new Received(Arrays.copyOf(bytes, n), fd[0]);
    }

    /** Links the native calls once, while nobody waits; nothing to do for the JNI helper, loaded already. */
    public static void warmUp() throws IOException {
        if (JNI_UNAVAILABLE != null) {
            FfmFd.warmUp();
        }
    }

    /** Moves {@code fd} onto fd 0 (closing the original), where System.inheritedChannel() finds it. */
    public static void moveToStdin(int fd) throws IOException {
        if (JNI_UNAVAILABLE != null) {
            FfmFd.moveToStdin(fd);
            return;
        }
        int errno = JniFd.moveToStdin(fd);
        if (errno != 0) {
            throw new IOException("dup2 failed: errno " + errno);
        }
    }

    /**
     * The descriptor of a JDK channel, through {@code sun.nio.ch}, which spare workers' JVM options open with
     * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}.
     */
    public static int fdOf(Channel channel) throws IOException {
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true);
            return (int) m.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException(
                    "no descriptor for the hub link (needs --add-opens java.base/sun.nio.ch=ALL-UNNAMED): " + e, e);
        }
    }
}
