<?php
// {"error": false, "message": "", "stats": {...}, "history": {"interval_seconds": 2, "points": [[time, clients,
// deliveries_per_second, memory_pss], ...]}}: what admin.js draws the header and the charts from.
require_once __DIR__ . "/setup.php";
try {
    $socket = forkcast_socket();
    $stats = $socket->stats();
    $history = $socket->history();
} catch (ServiceSocketException $e) {
    forkcast_json(503, array("error" => true, "message" => $e->getMessage()));
}
forkcast_json(200, array("error" => false, "message" => "", "stats" => (object) $stats, "history" => $history));
