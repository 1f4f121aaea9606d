package io.forkcast.supervisor.spawn;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A worker started by an earlier supervisor that reconnected to this one. It is not our child, so it is held by a
 * pidfd (Linux 5.3+): signals sent through it reach that process or nobody, never a later process that reused the
 * pid. Confined to the loop thread.
 */
@SuppressWarnings("restricted") // native access is enabled for the supervisor by the launcher
public final class AdoptedWorker implements WorkerProcess {
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
                .map(f -> linker.downcallHandle(f,
                        FunctionDescriptor.of(intType, intType, intType, ValueLayout.ADDRESS, intType)))
                .orElse(null);
        CLOSE = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(intType, intType));
    }

    private final long pid;
    private int pidfd;

    private AdoptedWorker(long pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /**
     * Takes hold of {@code pid} if it is a worker: a process whose command line runs {@code workerMain}. Returns
     * null (and holds nothing) otherwise.
     */
    public static AdoptedWorker open(long pid, String workerMain) {
        int fd = -1;
        try {
            if (PIDFD_OPEN != null) {
                fd = (int) PIDFD_OPEN.invokeExact((int) pid, 0);
            }
            // Read the command line after the pidfd is open: from here on the pid cannot change hands unnoticed.
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
                if (arg.equals(workerMain)) {
                    return new AdoptedWorker(pid, fd);
                }
            }
        } catch (IOException e) {
            // Gone already, or not readable: not adoptable.
        } catch (Throwable e) {
            throw new IllegalStateException("pidfd_open failed", e);
        }
        closeFd(fd);
        return null;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean signal(int signal) {
        try {
            if (pidfd >= 0 && PIDFD_SEND_SIGNAL != null) {
                return (int) PIDFD_SEND_SIGNAL.invokeExact(pidfd, signal, MemorySegment.NULL, 0) == 0;
            }
            return ProcessHandle.of(pid).map(h -> signal == 9 ? h.destroyForcibly() : h.destroy()).orElse(false);
        } catch (Throwable e) {
            return false;
        }
    }

    @Override
    public void release() {
        closeFd(pidfd);
        pidfd = -1;
    }

    private static void closeFd(int fd) {
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
