package io.forkcast.supervisor.spawn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import jnr.posix.POSIX;

/**
 * Notices children that exited, on a thread of its own, without reaping them: {@code waitid(P_ALL, WEXITED |
 * WNOWAIT)} leaves the child a zombie, so its pid cannot be reused while the loop still knows it. The reaper posts
 * the pid to the loop and waits until the loop has reaped that child itself ({@link #reap}, with {@code waitpid})
 * and forgotten it; only then does it look for the next one. The two threads share no lock and no set: a hand-off
 * semaphore is all.
 *
 * <pre>
 *   reaper: waitid (blocks) --pid--> post ChildExited(pid) --> wait for the hand-off --> waitid ...
 *   loop:   ChildExited(pid) --> reap(pid): waitpid, close pidfd, log --> hand-off released
 * </pre>
 */
@SuppressWarnings("restricted") // native access is enabled for the supervisor by the launcher
public final class Reaper implements Runnable {
    /** How a child ended, decoded from its wait status. */
    public record Exit(long pid, int status) {
        public boolean signaled() {
            return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
        }

        public int code() {
            return (status >> 8) & 0xff;
        }

        public int signal() {
            return status & 0x7f;
        }

        public String describe() {
            return signaled() ? "signal=" + signal() : "code=" + code();
        }
    }

    private static final int P_ALL = 0;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final int EINTR = 4;
    private static final int ECHILD = 10;
    /** sizeof(siginfo_t) on Linux. */
    private static final int SIGINFO_BYTES = 128;
    /** offsetof(siginfo_t, si_pid) on x86_64 (and every 64-bit Linux): after si_signo, si_errno, si_code, padding. */
    private static final int SI_PID_OFFSET = 16;

    private static final MethodHandle WAITID;
    private static final VarHandle ERRNO;
    private static final long ERRNO_BYTES;

    static {
        var linker = Linker.nativeLinker();
        var errno = Linker.Option.captureCallState("errno");
        var intType = ValueLayout.JAVA_INT;
        WAITID = linker.downcallHandle(
                linker.defaultLookup().find("waitid").orElseThrow(),
                FunctionDescriptor.of(intType, intType, intType, ValueLayout.ADDRESS, intType),
                errno);
        var layout = Linker.Option.captureStateLayout();
        ERRNO = layout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        ERRNO_BYTES = layout.byteSize();
    }

    private final POSIX posix;
    /** Where an exited child's pid goes: a post to the loop. */
    private final LongConsumer onExit;
    /** Released once per spawn: the reaper sleeps on it while the supervisor has no children. */
    private final Semaphore spawned = new Semaphore(0);
    /** Released by the loop once it has reaped the pid last posted. */
    private final Semaphore handedBack = new Semaphore(0);

    public Reaper(POSIX posix, LongConsumer onExit) {
        this.posix = posix;
        this.onExit = onExit;
    }

    public Thread start() {
        var thread = Thread.ofPlatform().name("reaper").daemon(true).unstarted(this);
        thread.start();
        return thread;
    }

    /** Called after each successful spawn, so that a reaper with nothing to wait for looks again. */
    public void spawned() {
        spawned.release();
    }

    /**
     * On the loop thread, for a pid the reaper posted: reaps the zombie and returns how it ended, then lets the
     * reaper look for the next one. The loop forgets the child first, so that the pid is no one's once reaped.
     */
    public Exit reap(long pid) {
        try {
            int[] status = new int[1];
            int reaped;
            do {
                reaped = posix.waitpid(pid, status, 0);
            } while (reaped < 0 && posix.errno() == EINTR);
            return new Exit(pid, reaped == pid ? status[0] : 0);
        } finally {
            handedBack.release();
        }
    }

    @Override
    public void run() {
        try (var arena = Arena.ofConfined()) {
            var info = arena.allocate(SIGINFO_BYTES, 8);
            var state = arena.allocate(ERRNO_BYTES, 8);
            while (true) {
                info.fill((byte) 0);
                int result = (int) WAITID.invokeExact(state, P_ALL, 0, info, WEXITED | WNOWAIT);
                if (result == 0) {
                    int pid = info.get(ValueLayout.JAVA_INT, SI_PID_OFFSET);
                    if (pid > 0) {
                        onExit.accept(pid);
                        handedBack.acquire();
                    }
                    continue;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == ECHILD) {
                    // No child at all: sleep until the next spawn, then look again.
                    spawned.acquire();
                    spawned.drainPermits();
                } else if (errno != EINTR) {
                    throw new IllegalStateException("waitid failed: errno=" + errno);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            System.err.println(
                    "role=supervisor pid=" + ProcessHandle.current().pid() + " event=reaper_failed error=" + e);
        }
    }
}
