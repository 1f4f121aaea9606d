/**
 * The worker: one JVM per client, wired by {@link io.forkcast.worker.Main}. Its loop ({@code loop}) joins a front
 * door for the client's kind ({@code front}, {@code front.telnet}, {@code front.broker}, {@code front.websocket}),
 * the chat commands ({@code chat}) and the hub session to the supervisor ({@code hub}).
 *
 * <p>Dispatch over the sealed message, intent and reply types is written as {@code instanceof} chains, not
 * pattern {@code switch}es: every pattern switch site spins a class through {@code SwitchBootstraps} the first
 * time it runs, which the AOT cache does not keep, and enough of that class generation makes C1 compile the
 * class-file API's stack map generator, a 2.7 KB method. Measured in a worker (C1 only, AOT cache, a client's
 * /who, a line, /me and /nick): with pattern switches 6 MiB more private memory and 50-70 ms more CPU than
 * without; without them the worker costs what it did before the front door and hub session were split out.
 */
package io.forkcast.worker;
