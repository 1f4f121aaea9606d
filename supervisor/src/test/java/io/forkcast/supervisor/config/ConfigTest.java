package io.forkcast.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        var c = Config.defaults();
        assertEquals("127.0.0.1", c.bind());
        assertEquals(4444, c.port());
        assertEquals(Path.of("./run"), c.runtimeDir());
        assertEquals(4096, c.maxLineBytes());
        assertEquals(20, c.floodLinesPerSecond());
        assertEquals(50, c.floodBurst());
        assertEquals(1 << 20, c.clientBufferBytes());
        assertEquals(65536, c.maxFrameBytes());
    }

    @Test
    void flagsTakeSeparateOrEqualsValuesAndTheLastOneWins() throws Exception {
        var c = Config.fromArgs(List.of("--port", "0", "--bind=0.0.0.0", "--port", "5555"));
        assertEquals(5555, c.port());
        assertEquals("0.0.0.0", c.bind());
    }

    @Test
    void everyProblemIsReportedOnceInOneLine() {
        var e = assertThrows(ConfigException.class,
                () -> Config.fromArgs(List.of("--port", "x", "--nope", "1", "--max-line-bytes", "1", "--bind")));
        assertEquals(List.of(
                "unknown option --nope (scripts/forkcast help lists the options)",
                "option --bind needs a value",
                "bad value for --port: not a whole number: x",
                "bad value for --max-line-bytes: 1 is outside 16..1048576"), e.problems());
        e.problems().forEach(p -> assertTrue(!p.contains("\n"), p));
    }

    @Test
    void workerJvmOptionsSplitOnWhiteSpace() throws Exception {
        var c = Config.fromArgs(List.of("--worker-jvm-options", "  -Xmx8m   -Xss256k "));
        assertEquals(List.of("-Xmx8m", "-Xss256k"), c.workerJvmOptions());
    }
}
