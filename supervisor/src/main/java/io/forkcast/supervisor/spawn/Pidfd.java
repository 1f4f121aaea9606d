package io.forkcast.supervisor.spawn;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Process file descriptors (Linux 5.3+) through the JDK's FFM API: a pidfd names one process for as long as it is
 * held, so a signal sent through it reaches that process or nobody, never a later one that reused the pid.
 * Thread-safe (each fd is used by the loop thread only).
 */
@SuppressWarnings("restricted") // native access is enabled for the supervisor by the launcher
final class Pidfd {
    private static final MethodHandle PIDFD_OPEN;
    private static final MethodHandle PIDFD_SEND_SIGNAL;
    private static final MethodHandle CLOSE;

    static {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        var intType = ValueLayout.JAVA_INT;
        PIDFD_OPEN = libc.find("pidfd_open")
                .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(intType, intType, intType)))
                .orElse(null);
        PIDFD_SEND_SIGNAL = libc.find("pidfd_send_signal")
                .map(f -> linker.downcallHandle(
                        f, FunctionDescriptor.of(intType, intType, intType, ValueLayout.ADDRESS, intType)))
                .orElse(null);
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(intType, intType));
    }

    private Pidfd() {}

    /** A pidfd for {@code pid}, or -1 if the process is gone or the kernel has no pidfds. */
    static int open(long pid) {
        if (PIDFD_OPEN == null) {
            return -1;
        }
        try {
            return (int) PIDFD_OPEN.invokeExact((int) pid, 0);
        } catch (Throwable e) {
            throw new IllegalStateException("pidfd_open failed", e);
        }
    }

    /** True if {@code signal} was sent through {@code pidfd}; false if the process has exited, or no pidfds. */
    static boolean signal(int pidfd, int signal) {
        if (pidfd < 0 || PIDFD_SEND_SIGNAL == null) {
            return false;
        }
        try {
            return (int) PIDFD_SEND_SIGNAL.invokeExact(pidfd, signal, MemorySegment.NULL, 0) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Sends {@code signal} to the process {@code pidfd} holds; with no pidfd (a kernel without them), to {@code pid},
     * which the caller knows has not been reused. False if the process has exited.
     */
    static boolean signal(int pidfd, long pid, int signal) {
        if (pidfd >= 0) {
            return signal(pidfd, signal);
        }
        return ProcessHandle.of(pid)
                .map(h -> signal == 9 ? h.destroyForcibly() : h.destroy())
                .orElse(false);
    }

    static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            // Nothing to do about a failed close of a pidfd.
        }
    }
}
