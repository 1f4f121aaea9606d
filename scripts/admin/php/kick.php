<?php
require_once __DIR__ . "/guard.php"; // Host and credentials first (DNS rebinding, state changes)
// {"clientId": id, "reason": text} -> {"error": bool, "message": reason}: tells the client the reason and
// disconnects it.
require_once __DIR__ . "/setup.php";
$data = forkcast_json_request();
$clientId = isset($data["clientId"]) && is_scalar($data["clientId"]) ? (string) $data["clientId"] : "";
$reason = isset($data["reason"]) && is_string($data["reason"]) ? $data["reason"] : "";
try {
    $result = forkcast_socket()->kick($clientId, $reason);
} catch (ServiceSocketException $e) {
    forkcast_json(503, array("error" => true, "message" => $e->getMessage()));
}
forkcast_json(200, $result === true ? array("error" => false, "message" => "")
    : array("error" => true, "message" => $result));
