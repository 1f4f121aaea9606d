/**
 * The worker's side of the hub link, for every client kind: the framed link itself ({@link
 * io.forkcast.worker.hub.HubLink}), the session over it ({@link io.forkcast.worker.hub.HubSession}: hello,
 * resume, backoff, unacknowledged lines, duplicates), and a spare's receipt of its client's socket ({@link
 * io.forkcast.worker.hub.FdReceiver}). Confined to the worker's loop thread.
 */
package io.forkcast.worker.hub;
