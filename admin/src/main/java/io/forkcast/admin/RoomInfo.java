package io.forkcast.admin;

/**
 * One room as {@code LIST ROOMS} reports it.
 *
 * @param name the room's name, without {@code #}
 * @param members how many clients are in it
 * @param topic its topic, or {@code null} for none
 */
public record RoomInfo(String name, long members, String topic) {}
