/**
 * The worker's event loop ({@link io.forkcast.worker.loop.WorkerLoop}): one selector over the client socket and
 * the hub link, the flood limit and the slow-client drop, the end of a session; and the warm-up a spare runs
 * before it waits for its client.
 */
package io.forkcast.worker.loop;
