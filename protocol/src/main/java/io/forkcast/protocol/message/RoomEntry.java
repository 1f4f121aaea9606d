package io.forkcast.protocol.message;

/**
 * One room as {@code /rooms} and the admin socket show it.
 *
 * @param name the room's name as it was first typed (without {@code #})
 * @param members how many clients are in it now
 * @param topic its topic, or null for none
 */
public record RoomEntry(String name, int members, String topic) {}
