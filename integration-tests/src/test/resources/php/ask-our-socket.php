<?php
// Drives scripts/admin/php's ServiceSocket class: php ask-our-socket.php CLASS_FILE SOCKET TIMEOUT_SECONDS
// lists the clients and prints one JSON line: {"clients": n} or {"exception": message}.
require $argv[1];
try {
    $socket = new ServiceSocket($argv[2], (float) $argv[3]);
    echo json_encode(array("clients" => count($socket->listConnections()))), "\n";
} catch (ServiceSocketException $e) {
    echo json_encode(array("exception" => $e->getMessage())), "\n";
}
