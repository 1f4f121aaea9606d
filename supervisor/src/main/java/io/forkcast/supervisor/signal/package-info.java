/** POSIX signals as {@link io.forkcast.supervisor.signal.Signal} values, turned into events for the loop. */
package io.forkcast.supervisor.signal;
