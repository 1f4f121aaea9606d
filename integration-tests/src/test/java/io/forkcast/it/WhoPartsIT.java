package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A level 1 or 2 /who answer larger than one frame comes in parts, each under the frame limit, never dropped. */
@Timeout(180)
class WhoPartsIT {
    private static final int CLIENTS = 16;

    @Test
    void aWhoListLargerThanAFrameReachesAnOldWorkerInParts() throws Exception {
        String classpath = FaultIT.workerClasspath() + ":" + System.getProperty("java.class.path");
        // No pool: the old worker is the first one spawned for a client. Frames of 1.5 KiB, which a dozen names of
        // 3-byte characters fill.
        try (var server = ForkcastServer.start(
                        "--worker-main",
                        "io.forkcast.it.OldWhoWorker",
                        "--worker-classpath",
                        classpath,
                        "--pool-min-spare",
                        "0",
                        "--max-frame-bytes",
                        "1536",
                        "--max-line-bytes",
                        "300",
                        "--broker-max-message-bytes",
                        "256",
                        "--ws-port",
                        "off", // its limits do not fit frames this small
                        "--mqtt-port",
                        "off", // nor do MQTT's
                        "--clients-per-address-max",
                        "0");
                var old = server.connect()) {
            old.expectLine(l -> l.startsWith("old worker pid"));
            var clients = new ArrayList<TelnetClient>();
            var nicks = new HashSet<String>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    var c = server.join();
                    clients.add(c);
                    String nick = "\u6f22".repeat(28) + (10 + i);
                    c.send("/nick " + nick);
                    c.expect("*** you are now known as " + nick);
                    nicks.add(nick);
                }
                old.send("who");
                var seen = new HashSet<String>();
                int parts = 0;
                while (!seen.containsAll(nicks)) {
                    String line = old.expectLine(l -> l.startsWith("who part: "));
                    parts++;
                    seen.addAll(List.of(line.substring("who part: ".length()).split(",")));
                }
                assertTrue(parts > 1, "one part only");
                assertEquals(CLIENTS + 1, seen.size(), seen.toString()); // the old worker's client is listed too
            } finally {
                clients.forEach(TelnetClient::close);
            }
        }
    }
}
