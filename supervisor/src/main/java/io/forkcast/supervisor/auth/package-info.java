/**
 * Accounts: the users file in htpasswd format ({@link io.forkcast.supervisor.auth.UsersFile}, read at start and
 * on SIGHUP) and checking a login against it off the loop, with failures slowed per address and per user
 * ({@link io.forkcast.supervisor.auth.Authenticator}). Nothing here touches a socket; a verdict goes back to the
 * loop as a task on its executor.
 */
package io.forkcast.supervisor.auth;
