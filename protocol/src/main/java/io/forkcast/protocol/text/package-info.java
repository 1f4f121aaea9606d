/**
 * Text rules both sides of a hub link apply, written once: what text may be shown to others ({@link
 * io.forkcast.protocol.text.SafeText}), what a nickname may be ({@link io.forkcast.protocol.text.Nicknames}), what a
 * room name may be ({@link io.forkcast.protocol.text.RoomNames}), the broker's JSON ({@link
 * io.forkcast.protocol.text.Json}), how a peer address is written ({@link io.forkcast.protocol.text.Peers}) and
 * the bytes a telnet client is written for a room line ({@link io.forkcast.protocol.text.TelnetLine}).
 */
package io.forkcast.protocol.text;
