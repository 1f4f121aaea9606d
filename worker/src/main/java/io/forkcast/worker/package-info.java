/**
 * The worker: one JVM per client, wired by {@link io.forkcast.worker.Main}. Its loop ({@code loop}) joins a front
 * door for the client's kind ({@code front}, {@code front.telnet}), the chat commands ({@code chat}) and the hub
 * session to the supervisor ({@code hub}).
 *
 * <p>Dispatch over the sealed message, intent and reply types is written as {@code instanceof} chains, not
 * pattern {@code switch}es: every pattern switch site spins a class through {@code SwitchBootstraps} the first
 * time it runs, which the AOT cache does not keep. Measured in a worker (C1 only, AOT cache): five such sites
 * cost about 50 ms of CPU and 6 MiB of PSS in a client's first commands, and a worker's start-up cost is the
 * scarce resource of one JVM per client.
 */
package io.forkcast.worker;
