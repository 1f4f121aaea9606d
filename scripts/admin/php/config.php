<?php
// Where the admin pages find forkcast's admin socket: $FORKCAST_ADMIN_SOCKET, else run/admin.sock at the top of
// the checkout (where "scripts/forkcast run" puts it when started from there). The web server's user must be
// allowed in: run forkcast with --admin-group set to that user's group (www-data on Debian).
$config = array();
$config["service_socket"] = getenv("FORKCAST_ADMIN_SOCKET") ?: dirname(__DIR__, 3) . "/run/admin.sock";
// Seconds to wait for a reply before giving up with an error.
$config["timeout_seconds"] = 5;
