package io.forkcast.supervisor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, then the config file, then flags; every problem reported at once, naming its flag or file:line. */
class ConfigTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("forkcast.conf"), List.of(lines));
    }

    private Config load(String... args) throws ConfigException {
        return Config.load(List.of(args), dir.resolve("absent.conf"));
    }

    private List<String> problems(String... args) {
        return assertThrows(ConfigException.class, () -> load(args)).problems();
    }

    @Test
    void aFileOverridesTheDefaultsAndFlagsOverrideTheFile() throws Exception {
        Path f = file("port = 5000", "max_line_bytes = 100", "motd = hi");
        var config = load("--config", f.toString(), "--max-line-bytes", "200");
        assertEquals(5000, config.port());
        assertEquals(200, config.maxLineBytes());
        assertEquals(List.of("hi"), config.motdLines());
        assertEquals(f, config.file());
    }

    @Test
    void commentsBlankLinesAndBlanksAroundTheEqualsSignAreAccepted() throws Exception {
        Path f = file(
                "# a comment",
                "",
                "   # indented comment",
                "  port=5001  ",
                "motd =  a = b # not a comment  ",
                "worker_classpath =");
        var config = load("--config", f.toString());
        assertEquals(5001, config.port());
        assertEquals(List.of("a = b # not a comment"), config.motdLines());
        assertEquals("", config.workerClasspath());
    }

    @Test
    void unknownKeysAndBadValuesAreAllReportedWithFileAndLine() throws Exception {
        Path f = file("# header", "port = 70000", "frobnicate = 1", "max_line_bytes = lots");
        assertEquals(
                List.of(
                        f + ":2: bad value for port: 70000 is outside 0..65535",
                        f + ":3: unknown key frobnicate (scripts/forkcast help lists the settings)",
                        f + ":4: bad value for max_line_bytes: not a whole number: lots"),
                problems("--config", f.toString()));
    }

    @Test
    void aBadValueInTheFileIsReportedEvenWhenAFlagOverridesIt() throws Exception {
        Path f = file("port = none");
        assertEquals(
                List.of(f + ":1: bad value for port: not a whole number: none"),
                problems("--config", f.toString(), "--port", "0"));
    }

    @Test
    void aLineWithoutKeyAndValueIsReported() throws Exception {
        Path f = file("port 4444", "Port = 1", "= 3");
        var problems = problems("--config", f.toString());
        assertEquals(3, problems.size(), problems.toString());
        assertEquals(f + ":1: expected key = value, got port 4444", problems.get(0));
        assertTrue(problems.get(1).startsWith(f + ":2: expected key = value"), problems.get(1));
    }

    @Test
    void aKeySetTwiceIsReported() throws Exception {
        Path f = file("port = 1", "bind = ::1", "port = 2");
        assertEquals(List.of(f + ":3: port is already set on line 1"), problems("--config", f.toString()));
    }

    @Test
    void aMissingConfigFileIsOneProblem() {
        Path missing = dir.resolve("nope.conf");
        assertEquals(
                List.of("cannot read config " + missing + ": no such file"), problems("--config", missing.toString()));
    }

    @Test
    void theDefaultFileIsReadOnlyWhenItExistsAndNoConfigIsGiven() throws Exception {
        Path defaultFile = file("port = 5002");
        assertEquals(5002, Config.load(List.of(), defaultFile).port());
        assertEquals(4444, Config.load(List.of(), dir.resolve("absent.conf")).port());
        assertNull(Config.load(List.of(), dir.resolve("absent.conf")).file());
        Path other = Files.write(dir.resolve("other.conf"), List.of("port = 5003"));
        assertEquals(
                5003, Config.load(List.of("--config=" + other), defaultFile).port());
    }

    @Test
    void durationsTakeUnitsAndABareNumberIsSeconds() throws Exception {
        assertEquals(Duration.ofSeconds(30), Config.defaults().hubReconnectTimeout());
        assertEquals(Duration.ofSeconds(5), load("--hub-reconnect-timeout", "5").hubReconnectTimeout());
        assertEquals(
                Duration.ofMillis(1500),
                load("--hub-reconnect-timeout", "1500ms").hubReconnectTimeout());
        assertEquals(
                Duration.ofMinutes(2), load("--hub-reconnect-timeout", "2m").hubReconnectTimeout());
        assertEquals(Duration.ofHours(1), load("--hub-reconnect-timeout", "1h").hubReconnectTimeout());
        assertEquals(
                List.of("bad value for --hub-reconnect-timeout: not a duration (like 500ms, 30s, 5m): 3 days"),
                problems("--hub-reconnect-timeout", "3 days"));
        assertEquals(
                List.of("bad value for --hub-reconnect-timeout: 2h is outside 0s..1h"),
                problems("--hub-reconnect-timeout", "2h"));
        assertEquals(Duration.ZERO, load("--hub-reconnect-timeout", "0").hubReconnectTimeout());
        assertEquals(
                List.of("bad value for --pool-spare-max-age: 999ms is outside 1s..24h"),
                problems("--pool-spare-max-age", "999ms"));
    }

    @Test
    void theMotdIsPrintableBoundedAndSplitOnBackslashN() throws Exception {
        assertEquals(List.of(), Config.defaults().motdLines());
        assertEquals(
                List.of("Welcome!", "Be kind."),
                load("--motd", "Welcome!\\nBe kind.").motdLines());
        assertEquals(List.of("bad value for --motd: control character U+0007 at 3"), problems("--motd", "hi\u0007"));
        assertEquals(
                List.of("bad value for --motd: 513 bytes is longer than 512"), problems("--motd", "x".repeat(513)));
    }

    @Test
    void aReloadTakesTheLiveSettingsAndKeepsTheRest() throws Exception {
        var running = load("--port", "5000", "--max-line-bytes", "100");
        var next = load("--port", "5001", "--max-line-bytes", "200", "--motd", "new");
        assertEquals(List.of("port", "max_line_bytes", "motd"), running.differences(next));
        var applied = running.withLiveSettingsOf(next);
        assertEquals(5000, applied.port());
        assertEquals(200, applied.maxLineBytes());
        assertEquals(List.of("new"), applied.motdLines());
        assertTrue(Config.isLive("max_line_bytes"));
        assertFalse(Config.isLive("port"));
        assertFalse(Config.isLive("no_such_key"));
    }

    @Test
    void flagProblemsKeepTheirOneLineForm() {
        assertEquals(
                List.of(
                        "unknown option --frobnicate (scripts/forkcast help lists the options)",
                        "option --config needs a value",
                        "bad value for --port: 70000 is outside 0..65535"),
                problems("--port", "70000", "--frobnicate", "7", "--config"));
    }

    @Test
    void aLineLimitThatDoesNotFitInAFrameWithItsEnvelopeIsOneProblemNamingBoth() throws Exception {
        assertEquals(
                List.of("max_line_bytes (65536) does not fit in max_frame_bytes (65536): a line that long needs frames"
                        + " of up to 99329 bytes with its envelope; lower max_line_bytes to at most 43007 or raise"
                        + " max_frame_bytes"),
                problems("--max-line-bytes", "65536"));
        assertEquals(43007, load("--max-line-bytes", "43007").maxLineBytes());
        assertEquals(1, problems("--max-line-bytes", "43008").size());
        assertEquals(
                65536,
                load("--max-line-bytes", "65536", "--max-frame-bytes", "99329").maxLineBytes());
    }

    @Test
    void theFederationSettingsAreOffByDefaultAndChecked() throws Exception {
        var off = load().federation();
        assertEquals(false, off.enabled());
        assertEquals("", off.nodeName());
        assertEquals(null, off.credentialsFile());
        assertEquals(java.time.Duration.ofSeconds(15), off.nodeTimeout());
        var on = load(
                        "--federation-url",
                        "nats://127.0.0.1:4222, tls://nats.example:4223",
                        "--node-name",
                        "a.example",
                        "--federation-node-timeout",
                        "3s")
                .federation();
        assertEquals(List.of("nats://127.0.0.1:4222", "tls://nats.example:4223"), on.urls());
        assertEquals("a.example", on.nodeName());
        assertEquals(java.time.Duration.ofSeconds(3), on.nodeTimeout());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> load("--federation-url", "http://x:1,", "--node-name", "a b", "--federation-node-timeout", "0"));
        assertEquals(3, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void theMqttSettingsHaveTheirDefaultsAndTheirChecks() throws Exception {
        var c = load();
        assertEquals(1883, c.mqttPort());
        assertEquals(61440, c.mqttMaxPacketBytes());
        assertEquals(null, c.mqttAllowAnonymous());
        assertEquals("forkcast/rooms/", c.mqttRoomPrefix());
        assertEquals(false, c.mqttJsonRooms());
        assertEquals(64, c.mqttInflightMax());
        assertEquals(java.time.Duration.ofSeconds(10), c.mqttSysInterval());
        assertEquals(java.time.Duration.ZERO, load("--mqtt-sys-interval", "0").mqttSysInterval());
        assertEquals(
                java.time.Duration.ofMinutes(1),
                load("--mqtt-sys-interval", "1m").mqttSysInterval());
        assertEquals(-1, load("--mqtt-port", "off").mqttPort());
        assertEquals(false, load("--mqtt-allow-anonymous", "off").mqttAllowAnonymous());
        assertEquals(true, load("--mqtt-allow-anonymous", "on").mqttAllowAnonymous());
        assertEquals(true, load("--mqtt-room-format", "json").mqttJsonRooms());
        var bad = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> load("--mqtt-room-format", "xml", "--mqtt-inflight-max", "0", "--mqtt-sys-interval", "2h"));
        assertEquals(3, bad.problems().size(), bad.problems().toString());
    }

    @Test
    void anMqttPacketLimitThatDoesNotFitInAFrameIsAProblemOnlyWhileTheMqttPortIsOn() throws Exception {
        assertEquals(
                List.of("mqtt_max_packet_bytes (1048576) does not fit in max_frame_bytes (65536): lower it to at most"
                        + " 64512 or raise max_frame_bytes"),
                problems("--mqtt-port", "0", "--mqtt-max-packet-bytes", "1048576"));
        assertEquals(
                1048576,
                load("--mqtt-port", "off", "--mqtt-max-packet-bytes", "1048576").mqttMaxPacketBytes());
        assertEquals(
                64512,
                load("--mqtt-port", "0", "--mqtt-max-packet-bytes", "64512").mqttMaxPacketBytes());
    }

    @Test
    void theWebSocketSettingsHaveTheirDefaultsAndTheirChecks() throws Exception {
        var ws = load().webSocket();
        assertEquals(8080, ws.port());
        assertEquals("", ws.allowedOrigins());
        assertEquals(java.time.Duration.ofSeconds(30), ws.pingInterval());
        assertEquals(61440, ws.maxMessageBytes());
        assertEquals(16, ws.tagsMax());
        assertEquals(64, ws.tagBytesMax());
        assertEquals(null, ws.authFile());
        assertEquals(-1, load("--ws-port", "off").webSocket().port());
        assertEquals(0, load("--ws-port", "0").webSocket().port());
        assertEquals("*", load("--ws-allowed-origins", "*").webSocket().allowedOrigins());
        assertEquals(
                Path.of("/etc/forkcast/auth.yml"),
                load("--ws-auth-file", "/etc/forkcast/auth.yml").webSocket().authFile());
        assertEquals(
                List.of("bad value for --ws-allowed-origins: not an origin (scheme://host[:port], like"
                        + " https://chat.example.org): https://chat.example.org/path"),
                problems("--ws-allowed-origins", "https://ok.example.org,https://chat.example.org/path"));
        assertEquals(1, problems("--ws-allowed-origins", "*,https://a.example").size());
        assertEquals(1, problems("--ws-allowed-origins", "chat.example.org").size());
        assertEquals(1, problems("--ws-ping-interval", "0").size());
    }

    @Test
    void aWebSocketMessageLimitThatDoesNotFitInAFrameWithItsTagsIsOneProblemNamingThem() throws Exception {
        assertEquals(
                List.of("ws_max_message_bytes (65536) with ws_tags_max (16) tags of ws_tag_bytes_max (64) does not fit"
                        + " in max_frame_bytes (65536): a tagged message needs frames of up to 68768 bytes; lower"
                        + " ws_max_message_bytes to at most 62304 or raise max_frame_bytes"),
                problems("--ws-max-message-bytes", "65536"));
        assertEquals(62304, load("--ws-max-message-bytes", "62304").webSocket().maxMessageBytes());
        assertEquals(
                65536,
                load("--ws-max-message-bytes", "65536", "--max-frame-bytes", "131072")
                        .webSocket()
                        .maxMessageBytes());
    }
}
