/**
 * The client side of a worker: the {@link io.forkcast.worker.front.FrontDoor} one client kind implements (bytes to
 * intents, orders and {@link io.forkcast.worker.front.Reply replies} to bytes), and the bounded {@link
 * io.forkcast.worker.front.ClientOutput} it renders into. One subpackage per client kind: {@code telnet} and
 * {@code broker} today.
 */
package io.forkcast.worker.front;
