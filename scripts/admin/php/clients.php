<?php
require_once __DIR__ . "/guard.php"; // Host and credentials first (DNS rebinding, state changes)
// {"error": false, "message": "", "clients": [...], "rooms": [...]}: what admin.js refreshes the table, the room
// filter and the broadcast form from.
require_once __DIR__ . "/setup.php";
$fields = array("id", "peer", "pid", "name", "age", "idle", "in", "out", "queued", "room", "kind", "cpu", "cpu_percent",
    "rss", "pss", "threads", "fds");
$absent = array_fill_keys($fields, null);
try {
    $socket = forkcast_socket();
    $clients = array();
    foreach ($socket->listConnections() as $client) {
        $clients[] = array_intersect_key($client + $absent, $absent);
    }
    $rooms = $socket->listRooms();
} catch (ServiceSocketException $e) {
    forkcast_json(503, array("error" => true, "message" => $e->getMessage()));
}
forkcast_json(200, array("error" => false, "message" => "", "clients" => $clients, "rooms" => $rooms));
