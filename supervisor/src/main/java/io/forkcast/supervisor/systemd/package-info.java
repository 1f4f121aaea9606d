/** Life under systemd: socket activation (LISTEN_FDS), sd_notify status and watchdog, journal priorities. */
package io.forkcast.supervisor.systemd;
