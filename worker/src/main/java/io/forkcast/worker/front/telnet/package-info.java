/**
 * The telnet front door: RFC 854 bytes to cleaned lines ({@link io.forkcast.worker.front.telnet.LineDiscipline},
 * {@link io.forkcast.worker.front.telnet.TextCleaner}), and every line a telnet client is shown ({@link
 * io.forkcast.worker.front.telnet.TelnetFrontDoor}). Confined to the worker's loop thread.
 */
package io.forkcast.worker.front.telnet;
