package io.forkcast.supervisor.relay;

import io.forkcast.supervisor.spawn.Reaper;

/** What other threads tell the relay loop; immutable, handed over through a queue plus a selector wake-up. */
public sealed interface RelayEvent {
    /** A child process was reaped. */
    record ChildExited(Reaper.Exit exit) implements RelayEvent {}

    /** A signal arrived ("TERM", "INT", "HUP"). */
    record SignalReceived(String name) implements RelayEvent {}
}
