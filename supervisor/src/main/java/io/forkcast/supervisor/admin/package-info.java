/**
 * The admin socket ({@code admin.sock}): who may connect, the line protocol (LIST, SEND MESSAGE, BROADCAST, KICK,
 * STATS), served on the event loop's selector. The commands see the supervisor only through {@link
 * io.forkcast.supervisor.admin.AdminOps}: snapshots out, a few orders in.
 */
package io.forkcast.supervisor.admin;
