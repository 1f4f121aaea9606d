package io.forkcast.supervisor.spawn;

/**
 * A worker process held by a pidfd, whichever way it came (our child, or adopted from an earlier supervisor): a
 * signal sent through it reaches that process or nobody, never a later one that reused the pid. Confined to the
 * loop thread.
 */
public abstract sealed class HeldProcess implements WorkerProcess permits Children.Child, AdoptedWorker {
    /** The process's pid; fixed. */
    private final long pid;
    /** The pidfd on it (-1: none, on a kernel without pidfds, or released). */
    private int pidfd;

    HeldProcess(long pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    @Override
    public final long pid() {
        return pid;
    }

    /** Signals through the pidfd; without one, through the pid, which the holder knows is still this process. */
    @Override
    public final boolean signal(int signal) {
        return Pidfd.signal(pidfd, pid, signal);
    }

    /** Closes the pidfd; the process itself is untouched. */
    @Override
    public final void release() {
        Pidfd.close(pidfd);
        pidfd = -1;
    }
}
