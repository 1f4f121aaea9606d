/**
 * Worker processes: starting them ({@link io.forkcast.supervisor.spawn.WorkerSpawner}), the ones we started
 * ({@link io.forkcast.supervisor.spawn.Children}) and reaping them ({@link io.forkcast.supervisor.spawn.Reaper}),
 * workers adopted from an earlier supervisor ({@link io.forkcast.supervisor.spawn.AdoptedWorker}), the warm pool
 * ({@link io.forkcast.supervisor.spawn.Pool}), the TCP front door with its limits ({@link
 * io.forkcast.supervisor.spawn.Admission}), client ids and which are out ({@link
 * io.forkcast.supervisor.spawn.ClientIds}), passing a client's socket to a spare, and starting the supervisor that
 * takes over in a planned restart ({@link io.forkcast.supervisor.spawn.Successor}).
 */
package io.forkcast.supervisor.spawn;
