package io.forkcast.supervisor.spawn;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import jnr.posix.POSIX;

/**
 * Reaps every child of the supervisor with {@code waitpid(-1)} on a thread of its own and reports each exit to
 * the relay, so there is never a zombie. Also the one place that signals children: it refuses a pid it has
 * already reaped, so a signal never reaches an unrelated process that got a recycled pid.
 */
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

    private static final int EINTR = 4;

    private final POSIX posix;
    private final Consumer<Exit> onExit;
    private final Set<Long> reapedNotYetReported = new HashSet<>();
    private int children;

    public Reaper(POSIX posix, Consumer<Exit> onExit) {
        this.posix = posix;
        this.onExit = onExit;
    }

    public Thread start() {
        var thread = Thread.ofPlatform().name("reaper").daemon(true).unstarted(this);
        thread.start();
        return thread;
    }

    /** Called after each successful spawn, so the reaper knows there is a child to wait for. */
    public synchronized void spawned() {
        children++;
        notifyAll();
    }

    /** The relay has handled the exit of {@code pid}; the pid may now belong to someone else. */
    public synchronized void forget(long pid) {
        reapedNotYetReported.remove(pid);
    }

    /** A handle on a child this supervisor spawned, for a hub link. */
    public WorkerProcess child(long pid) {
        return new WorkerProcess() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public boolean signal(int signal) {
                return Reaper.this.signal(pid, signal);
            }
        };
    }

    /** Sends {@code signal} to a child that has not been reaped; returns false if it is already gone. */
    public synchronized boolean signal(long pid, int signal) {
        if (reapedNotYetReported.contains(pid)) {
            return false;
        }
        return posix.kill(pid, signal) == 0;
    }

    @Override
    public void run() {
        int[] status = new int[1];
        while (true) {
            synchronized (this) {
                while (children == 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            int pid = posix.waitpid(-1, status, 0);
            if (pid > 0) {
                synchronized (this) {
                    reapedNotYetReported.add((long) pid);
                    children--;
                }
                onExit.accept(new Exit(pid, status[0]));
            } else {
                int errno = posix.errno();
                if (errno != EINTR) {
                    // ECHILD: every child is reaped; wait for the next spawn.
                    synchronized (this) {
                        children = 0;
                    }
                }
            }
        }
    }
}
