package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor started with its signals ignored (as {@code nohup} ignores SIGHUP, and a shell's {@code cmd &}
 * SIGINT) still handles them: it sets them back to their default before it installs its handlers.
 */
@Timeout(120)
class SignalDispositionIT {
    @TempDir
    Path dir;

    /** scripts/forkcast run behind a shell that ignores {@code signals}; ignored dispositions survive exec. */
    private static List<String> ignoring(String signals) {
        return List.of(
                "sh",
                "-c",
                "trap '' " + signals + "; exec \"$0\" \"$@\"",
                ForkcastServer.HOME.resolve("scripts/forkcast").toString(),
                "run");
    }

    @Test
    void aSupervisorStartedWithSighupIgnoredStillReloadsOnSighup() throws Exception {
        Path conf = Files.write(dir.resolve("forkcast.conf"), List.of("motd = first"));
        try (var server = ForkcastServer.start(ignoring("HUP"), Map.of(), List.of("--config", conf.toString()))) {
            server.awaitLog("event=signal_reset signal=HUP was=ignored");
            Files.write(conf, List.of("motd = second"));
            server.signal("HUP");
            server.awaitLog("event=reload changed=motd");
            try (var client = server.join()) {
                assertEquals("*** second", client.readLine());
            }
            assertEquals(0, server.countLog("event=signal_unhandled"), server.logText());
        }
    }

    @Test
    void aSupervisorStartedWithSigintIgnoredStillStopsOnSigint() throws Exception {
        try (var server = ForkcastServer.start(ignoring("INT"), Map.of(), List.of())) {
            server.awaitLog("event=signal_reset signal=INT was=ignored");
            server.signal("INT");
            server.awaitLog("event=shutdown", Duration.ofSeconds(10));
            assertEquals(true, server.process().waitFor(10, TimeUnit.SECONDS), server.logText());
            assertEquals(0, server.process().exitValue(), server.logText());
        }
    }
}
