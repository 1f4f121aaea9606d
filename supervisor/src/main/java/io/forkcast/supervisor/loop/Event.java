package io.forkcast.supervisor.loop;

import io.forkcast.supervisor.signal.Signal;
import io.forkcast.supervisor.spawn.Reaper;

/** What other threads tell the loop: immutable, handed over through a queue plus a selector wake-up. */
public sealed interface Event {
    /** A child process was reaped. */
    record ChildExited(Reaper.Exit exit) implements Event {}

    /** A signal arrived. */
    record SignalReceived(Signal signal) implements Event {}
}
