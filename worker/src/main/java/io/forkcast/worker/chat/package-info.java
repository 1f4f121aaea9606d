/**
 * The chat commands, parsed once for every text client (telnet today, WebSocket text clients later): a typed line
 * becomes an {@link io.forkcast.worker.chat.Intent} that the worker's loop acts on. No I/O, no rendering.
 */
package io.forkcast.worker.chat;
