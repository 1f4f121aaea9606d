<?php
// {"error": false, "message": "", "clients": [...]}: what admin.js refreshes the table from.
require_once __DIR__ . "/setup.php";
$fields = array("id", "peer", "pid", "name", "age", "idle", "in", "out", "queued");
try {
    $clients = array();
    foreach (forkcast_socket()->listConnections() as $client) {
        $clients[] = array_intersect_key($client, array_flip($fields));
    }
} catch (ServiceSocketException $e) {
    forkcast_json(503, array("error" => true, "message" => $e->getMessage()));
}
forkcast_json(200, array("error" => false, "message" => "", "clients" => $clients));
