/**
 * The WebSocket client kind: the HTTP of the WebSocket port (the chat page's files, errors), RFC 6455 by hand
 * with the JDK alone (the handshake, frames, fragmentation, UTF-8, ping and close), seed 001's tagged requests,
 * and JSON events out. {@link io.forkcast.worker.front.websocket.WebSocketFrontDoor} joins the parts.
 */
package io.forkcast.worker.front.websocket;
