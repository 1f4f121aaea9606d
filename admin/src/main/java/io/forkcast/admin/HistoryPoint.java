package io.forkcast.admin;

/**
 * One point of the server's last ten minutes as {@code HISTORY JSON} reports it (one every two seconds).
 *
 * @param epochSeconds when, in seconds since 1970
 * @param clients clients connected then
 * @param deliveriesPerSecond frames queued for workers per second over the interval before it
 * @param memoryPssBytes PSS of the supervisor and every worker added up
 */
public record HistoryPoint(long epochSeconds, long clients, long deliveriesPerSecond, long memoryPssBytes) {}
