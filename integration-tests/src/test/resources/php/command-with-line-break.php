<?php
// Drives scripts/admin/php's ServiceSocket class: php command-with-line-break.php CLASS_FILE SOCKET CLIENT_ID
// sends "SEND MESSAGE id hi\nKICK id" through command() and prints one JSON line: {"reply": ...} if it was
// sent, {"exception": message} if it was refused; then {"clients": n} from a second, clean command.
require $argv[1];
$socket = new ServiceSocket($argv[2], 5);
try {
    $reply = $socket->command("SEND MESSAGE " . $argv[3] . " hi\nKICK " . $argv[3]);
    $result = array("reply" => $reply);
} catch (ServiceSocketException $e) {
    $result = array("exception" => $e->getMessage());
}
$result["clients"] = count($socket->listConnections());
echo json_encode($result), "\n";
