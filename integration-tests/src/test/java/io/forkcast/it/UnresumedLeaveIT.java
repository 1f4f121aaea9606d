package io.forkcast.it;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After a restart, a client whose worker never comes back is announced as left to its room once the adoption
 * window closes: the new supervisor learns who was there, under what name and in which room, from the clients file
 * the old one kept.
 */
@Timeout(180)
class UnresumedLeaveIT {
    private static final String WINDOW = "8";

    @Test
    void aClientWhoseWorkerDiedWithTheSupervisorIsAnnouncedAsLeftWhenTheWindowCloses() throws Exception {
        var first = ForkcastServer.start("--hub-reconnect-timeout", WINDOW);
        try (first;
                var stays = first.join();
                var dies = first.join()) {
            stays.expectLine(l -> l.contains("(" + dies.pid() + ") joined"));
            first.track(List.of(stays.pid(), dies.pid()));
            dies.send("/nick doomed");
            stays.expectLine(l -> l.endsWith("is now known as doomed"));

            // The supervisor first, so that none sees the worker go; the worker before any supervisor is back.
            ForkcastServer.kill(first.pid(), "KILL");
            ForkcastServer.kill(dies.pid(), "KILL");
            stays.expect("*** reconnecting to server...");
            try (var second = ForkcastServer.startAfter(first, "--hub-reconnect-timeout", WINDOW)) {
                second.track(List.of(stays.pid()));
                stays.expect("*** reconnected");
                // Said once the window closes, by the supervisor that never saw the client: from what was recorded.
                String left = "*** doomed (" + dies.pid() + ") left";
                stays.expectLine(left::equals, Duration.ofSeconds(40));
                second.awaitLog("event=adoption_closed .*unclaimed=1");
                // It is told once: the next line the survivor sees is an ordinary one.
                try (var newcomer = second.join()) {
                    stays.expectLine(l -> l.contains("(" + newcomer.pid() + ") joined"));
                    org.junit.jupiter.api.Assertions.assertEquals(
                            1,
                            stays.seen().stream()
                                    .filter(l -> l.contains("doomed ("))
                                    .count());
                }
            }
        }
    }
}
