<?php
// Drives scripts/admin/php's ServiceSocket class on rooms: php rooms-our-socket.php CLASS_FILE SOCKET ROOM TEXT
// prints one JSON line: listRooms(); sendRoom() to ROOM, to a room that does not exist and to a name that would
// smuggle in a second command; broadcast(), and what it says to a text over the server's limit; and each client's
// clientId, host and room from listConnections().
require $argv[1];
$socket = new ServiceSocket($argv[2], 5);
$clients = array();
foreach ($socket->listConnections() as $c) {
    $clients[] = array("clientId" => $c["clientId"], "host" => $c["host"], "room" => $c["room"]);
}
$result = array(
    "rooms" => $socket->listRooms(),
    "sent" => $socket->sendRoom($argv[3], $argv[4]),
    "unknown" => $socket->sendRoom("nowhere", "nobody is there"),
    "smuggled" => $socket->sendRoom("dev\nBROADCAST smuggled", "x"),
    "broadcast" => $socket->broadcast("to all from php"),
    "clients" => $clients,
);
try {
    $socket->broadcast(str_repeat("x", 5000));
    $result["tooLong"] = "accepted";
} catch (ServiceSocketRefused $e) {
    $result["tooLong"] = $e->reason();
}
echo json_encode($result), "\n";
