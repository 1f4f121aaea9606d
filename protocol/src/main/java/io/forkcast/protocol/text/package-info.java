/**
 * Text rules both sides of a hub link apply, written once: what a nickname may be ({@link
 * io.forkcast.protocol.text.Nicknames}) and how a peer address is written ({@link io.forkcast.protocol.text.Peers}).
 */
package io.forkcast.protocol.text;
