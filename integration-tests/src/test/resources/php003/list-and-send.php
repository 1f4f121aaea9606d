<?php
// Drives the tutorial's ServiceSocket class, as printed, against a forkcast admin socket:
//   php list-and-send.php SOCKET CLIENT_ID MESSAGE
// prints one JSON line: what listConnections() returned and what sendMessage() answered for CLIENT_ID and for
// an id that does not exist.
require __DIR__ . "/ServiceSocket.class.php";
$serviceSocket = new ServiceSocket($argv[1]);
$list = $serviceSocket->listConnections();
$sent = $serviceSocket->sendMessage($argv[2], $argv[3]);
$unknown = $serviceSocket->sendMessage("987654321", "nobody is there");
echo json_encode(array("list" => $list, "sent" => $sent, "unknown" => $unknown)), "\n";
