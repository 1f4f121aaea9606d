package io.forkcast.worker.front.telnet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * How a telnet client is shown when a past line was said: {@code HH:MM} for today, {@code YYYY-MM-DD HH:MM} for an
 * earlier day, in the server's time zone. Confined to the worker's loop thread.
 */
final class PastTimes {
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final ZoneId zone = ZoneId.systemDefault();

    String format(long epochMillis) {
        var when = Instant.ofEpochMilli(epochMillis).atZone(zone);
        return (when.toLocalDate().equals(LocalDate.now(zone)) ? TODAY : EARLIER).format(when);
    }
}
