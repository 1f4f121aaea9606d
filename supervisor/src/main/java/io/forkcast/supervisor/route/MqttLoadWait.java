package io.forkcast.supervisor.route;

import java.util.ArrayList;
import java.util.List;

/**
 * What MQTT workers say while the store's MQTT state is read back at start, held in arrival order and run once it
 * is: a CONNECT must find its kept session, and a worker resumed after a restart (its MqttResume, the PUBLISHes its
 * backlog sends again) must find the kept sessions its messages are for, or they would be answered and lost.
 * Confined to the loop thread.
 */
final class MqttLoadWait {
    /** Null once the state is read (or when there is no store). */
    private List<Runnable> waiting;

    /** The store is being read from now on. */
    void begin() {
        waiting = new ArrayList<>();
    }

    /** True when {@code then} was put off until the state is read; it is run then only if {@code member} stayed. */
    boolean putOff(Member member, Runnable then) {
        if (waiting == null) {
            return false;
        }
        waiting.add(() -> {
            if (member.present) {
                then.run();
            }
        });
        return true;
    }

    /** The state is read: what waited runs, in order. */
    void done() {
        var all = waiting;
        waiting = null;
        if (all != null) {
            all.forEach(Runnable::run);
        }
    }
}
