/**
 * What the workers cost, measured by the kernel, and what the server did over the last minutes: {@link
 * io.forkcast.supervisor.meter.ProcReader} reads one process's CPU, memory, threads and descriptors from {@code
 * /proc}; {@link io.forkcast.supervisor.meter.Meter} samples every worker in turn on the housekeeping tick, a few per
 * tick, never on the hot path; {@link io.forkcast.supervisor.meter.History} keeps ten minutes of clients,
 * deliveries and memory for the admin page's charts. Confined to the loop thread.
 */
package io.forkcast.supervisor.meter;
