package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Settings that must agree are checked together at start: one line naming both, exit 2. */
@Timeout(120)
class LimitsAgreeIT {
    @Test
    void aLineLimitThatDoesNotFitInAFrameStopsTheStartNamingBothSettings() throws Exception {
        var result = CommandLineIT.run(
                "run",
                "--port",
                "0",
                "--max-line-bytes",
                "65536",
                "--runtime-dir",
                Files.createTempDirectory(Path.of("/tmp"), "fc-").resolve("run").toString());
        assertEquals(2, result.code(), result.stdout() + result.stderr());
        assertEquals(
                "forkcast: max_line_bytes (65536) does not fit in max_frame_bytes (65536): a line that long needs"
                        + " frames of up to 99329 bytes with its envelope; lower max_line_bytes to at most 43007 or"
                        + " raise max_frame_bytes",
                result.stderr().strip());
        assertFalse(result.stdout().contains("READY"), result.stdout());
    }
}
