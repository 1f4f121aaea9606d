/**
 * The supervisor's event loop: one thread, one {@link java.nio.channels.Selector} over the TCP listener, hub.sock,
 * every hub link and the admin socket. {@link io.forkcast.supervisor.loop.EventLoop} selects, takes the {@link
 * io.forkcast.supervisor.loop.Event}s other threads posted, dispatches each ready key to its {@link
 * io.forkcast.supervisor.loop.KeyHandler} and runs housekeeping at a fixed rate ({@link
 * io.forkcast.supervisor.loop.Ticker}); {@link io.forkcast.supervisor.loop.Arbiter} is what it runs: signals,
 * child exits, housekeeping, reload and shutdown, wiring the link, route and spawn layers. {@link
 * io.forkcast.supervisor.loop.AdminPort} is the admin socket's view of them, {@link
 * io.forkcast.supervisor.loop.Handover} the planned restart (SIGUSR2).
 */
package io.forkcast.supervisor.loop;
