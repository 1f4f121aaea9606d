package io.forkcast.supervisor.spawn;

/**
 * The process behind a hub link, whichever way it came: a child this supervisor spawned or a worker adopted from
 * an earlier supervisor. Both are held by a pidfd, so a signal reaches that process or nobody.
 */
public interface WorkerProcess {
    long pid();

    /** Sends {@code signal} if the process is still the one we mean; false if it is gone. */
    boolean signal(int signal);

    /** Frees what tracks the process (a pidfd); the process itself is untouched. */
    default void release() {}
}
