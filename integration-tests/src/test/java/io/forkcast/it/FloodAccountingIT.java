package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The flood limits count every line, blank and overlong ones included, and bytes as well as lines. */
@Timeout(120)
class FloodAccountingIT {
    private static final String FEW_LINES = "--flood-lines-per-second";

    @Test
    void aFloodOfBlankLinesIsDroppedAndDisconnectedLikeAnyOther() throws Exception {
        try (var server = ForkcastServer.start(
                        FEW_LINES, "5", "--flood-burst", "5", "--flood-drops-before-disconnect", "20");
                var a = server.join()) {
            a.sendRaw("\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII));
            var last = a.expectClosed(Duration.ofSeconds(20));
            assertTrue(last.contains("*** flood limit: lines dropped (at most 5 lines/s)"), last.toString());
            assertTrue(last.contains("*** disconnected for flooding"), last.toString());
            server.awaitLog("event=left worker=\\d+ .*cause=flood");
        }
    }

    @Test
    void aFloodOfOverlongLinesIsDroppedAndDisconnectedWithoutANoticeForEach() throws Exception {
        try (var server = ForkcastServer.start(
                        "--max-line-bytes",
                        "100",
                        FEW_LINES,
                        "5",
                        "--flood-burst",
                        "5",
                        "--flood-drops-before-disconnect",
                        "20");
                var a = server.join()) {
            a.sendRaw(("x".repeat(300) + "\r\n").repeat(100).getBytes(StandardCharsets.US_ASCII));
            var last = a.expectClosed(Duration.ofSeconds(20));
            assertTrue(last.contains("*** disconnected for flooding"), last.toString());
            long notices = last.stream()
                    .filter(l -> l.equals("*** line too long (max 100 bytes)"))
                    .count();
            assertTrue(notices >= 1 && notices <= 5, notices + " notices: " + last);
        }
    }

    @Test
    void bytesPastTheByteRateWaitInTheKernelUntilTheRateAllowsThem() throws Exception {
        try (var server = ForkcastServer.start(
                        FEW_LINES,
                        "100000",
                        "--flood-burst",
                        "100000",
                        "--flood-bytes-per-second",
                        "16384",
                        "--flood-bytes-burst",
                        "16384");
                var a = server.join();
                var b = server.join()) {
            a.expect("*** " + b.address() + " (" + b.pid() + ") joined");
            String line = "y".repeat(998);
            long started = System.nanoTime();
            a.sendRaw(((line + "\r\n").repeat(64) + "marker\r\n").getBytes(StandardCharsets.US_ASCII));
            b.expectLine(l -> l.endsWith("): marker"), Duration.ofSeconds(30));
            long millis = (System.nanoTime() - started) / 1_000_000;
            // 64 KiB at 16 KiB/s, less the 16 KiB burst and the last read (at most 16 KiB, read once the debt is
            // paid): at least 1.9 s, whatever the machine; unthrottled it takes tens of milliseconds.
            assertTrue(millis >= 1850, "64 KiB went through in " + millis + " ms");
            assertTrue(
                    b.seen().stream().filter(l -> l.endsWith(line)).count() == 64,
                    "every line arrived, none was dropped");
            server.awaitLog("event=client_throttled .*bytes_per_second=16384");
        }
    }
}
