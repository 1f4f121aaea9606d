package io.forkcast.supervisor.loop;

import io.forkcast.supervisor.signal.Signal;

/** What other threads tell the loop: immutable, handed over through a queue plus a selector wake-up. */
public sealed interface Event {
    /** A child process exited; it stays a zombie until the loop reaps it, so its pid is not reused meanwhile. */
    record ChildExited(long pid) implements Event {}

    /** The successor of a handover serves now as {@code pid}, or failed to start ({@code pid} -1). */
    record SuccessorReady(long pid) implements Event {}

    /** A signal arrived. */
    record SignalReceived(Signal signal) implements Event {}

    /**
     * Work done on another thread (a password check, a store read or commit) whose result the loop takes up: the
     * task runs on the loop thread.
     */
    record Later(Runnable task) implements Event {}
}
