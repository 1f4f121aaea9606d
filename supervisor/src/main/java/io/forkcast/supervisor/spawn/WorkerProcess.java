package io.forkcast.supervisor.spawn;

/**
 * The process behind a hub link, whichever way it came: a child this supervisor spawned (signalled through the
 * reaper, which knows whether it is still unreaped) or a worker adopted from an earlier supervisor (signalled
 * through a pidfd, since it is not our child and cannot be waited for).
 */
public interface WorkerProcess {
    long pid();

    /** Sends {@code signal} if the process is still the one we mean; false if it is gone. */
    boolean signal(int signal);

    /** Frees what tracks the process (a pidfd); the process itself is untouched. */
    default void release() {}
}
