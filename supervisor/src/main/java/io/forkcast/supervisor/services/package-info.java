/**
 * The supervisor's services that work off the loop, wired for the routing domain: the accounts (the users file
 * and its verifying pool, {@code auth/}) as {@link io.forkcast.supervisor.route.Accounts}, the store ({@code
 * store/}) as {@link io.forkcast.supervisor.route.Archive}. Each answer comes back to the loop thread.
 */
package io.forkcast.supervisor.services;
