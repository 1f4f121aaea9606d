package io.forkcast.protocol.message;

/**
 * Everything that crosses a hub link. Worker-to-supervisor messages are facts ({@link WorkerMessage}),
 * supervisor-to-worker ones are orders or deliveries ({@link SupervisorMessage}). All are immutable records.
 */
public sealed interface Message permits WorkerMessage, SupervisorMessage {}
