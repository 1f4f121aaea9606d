<?php
require_once __DIR__ . "/guard.php"; // Host and credentials first (DNS rebinding, state changes)
// {"room": name, or "" or null for everyone, "message": text} -> {"error": bool, "message": reason, "reached": n}:
// every client (BROADCAST) or every member of one room (SEND ROOM) sees "*** admin: text"; reached is how many.
require_once __DIR__ . "/setup.php";
$data = forkcast_json_request();
if (isset($data["room"]) && !is_string($data["room"])) {
    forkcast_json(400, array("error" => true,
        "message" => "expected {\"room\": name, or \"\" for everyone, \"message\": text}"));
}
$room = isset($data["room"]) ? $data["room"] : "";
$message = isset($data["message"]) && is_string($data["message"]) ? $data["message"] : "";
if (trim($message) === "") {
    forkcast_json(400, array("error" => true, "message" => "the message is empty"));
}
try {
    $socket = forkcast_socket();
    $result = $room === "" ? $socket->broadcast($message) : $socket->sendRoom($room, $message);
} catch (ServiceSocketRefused $e) {
    $result = $e->reason();
} catch (ServiceSocketException $e) {
    forkcast_json(503, array("error" => true, "message" => $e->getMessage()));
}
forkcast_json(200, is_int($result) ? array("error" => false, "message" => "", "reached" => $result)
    : array("error" => true, "message" => $result));
