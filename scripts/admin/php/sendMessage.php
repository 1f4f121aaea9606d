<?php
require_once __DIR__ . "/guard.php"; // Host and credentials first (DNS rebinding, state changes)
// {"clientId": id, "message": text} -> {"error": bool, "message": reason}, as in the tutorial; the text reaches
// the client as "*** admin: text".
require_once __DIR__ . "/setup.php";
$data = forkcast_json_request();
$clientId = isset($data["clientId"]) && is_scalar($data["clientId"]) ? (string) $data["clientId"] : "";
$message = isset($data["message"]) && is_string($data["message"]) ? $data["message"] : "";
if (trim($message) === "") {
    forkcast_json(400, array("error" => true, "message" => "the message is empty"));
}
try {
    $result = forkcast_socket()->sendMessage($clientId, $message);
} catch (ServiceSocketException $e) {
    forkcast_json(503, array("error" => true, "message" => $e->getMessage()));
}
forkcast_json(200, $result === true ? array("error" => false, "message" => "")
    : array("error" => true, "message" => $result));
