package io.forkcast.protocol.message;

/**
 * One person in a who list of level 3 and later ({@code /who}, {@code /who *}, the people of a room entered).
 *
 * @param who the client, as others see it
 * @param peer its address as {@code ip:port}
 * @param room the room it is in, or null when the list is of one room
 */
public record Present(Sender who, String peer, String room) {}
