<?php
require_once __DIR__ . "/guard.php"; // Host and credentials first (DNS rebinding, state changes)
// The admin page: a broadcast form (to everyone or one room), a room filter, and a table of the connected clients
// with a send form and a kick button each, kept current by admin.js. The same markup as the Java page
// (scripts/forkcast admin-web).
require_once __DIR__ . "/setup.php";
$problem = null;
$clients = array();
$rooms = array();
try {
    $socket = forkcast_socket();
    $clients = $socket->listConnections();
    $rooms = $socket->listRooms();
} catch (ServiceSocketException $e) {
    $problem = $e->getMessage();
    http_response_code(503);
}
forkcast_headers("text/html; charset=utf-8");

/** One <option> per room: "#name (n clients)", the topic as its title. */
function room_options($rooms) {
    $out = "";
    foreach ($rooms as $r) {
        $topic = $r["topic"] === null ? "" : $r["topic"];
        $count = $r["members"] . ($r["members"] === 1 ? " client" : " clients");
        $out .= "<option value=\"" . h($r["name"]) . "\" title=\"" . h($topic) . "\">#" . h($r["name"]) . " ("
            . h($count) . ")</option>";
    }
    return $out;
}
?>
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>forkcast admin</title>
<style>
body { font-family: sans-serif; margin: 1.5em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; }
#status.error { color: #b00; }
</style>
</head>
<body data-refresh-ms="2000">
<h1>forkcast clients</h1>
<?php if ($problem === null) { ?>
<p id="status" role="status"></p>
<?php } else { ?>
<p id="status" role="status" class="error"><?= h($problem) ?></p>
<?php } ?>
<form id="broadcast"><label>Broadcast to <select name="room"><option value="">everyone</option><?= room_options($rooms) ?></select></label> <input name="message" size="50" placeholder="message to everyone or one room"> <button type="submit">Broadcast</button></form>
<p><label>Show <select id="room-filter"><option value="">all rooms</option><?= room_options($rooms) ?></select></label></p>
<table id="clients">
<thead><tr><th>id</th><th>address</th><th>name</th><th>room</th><th>pid</th><th>age (s)</th><th>idle (s)</th><th>lines in</th><th>lines out</th><th>queued (bytes)</th><th>message</th><th></th></tr></thead>
<tbody>
<?php foreach ($clients as $c) { ?>
<tr data-client-id="<?= h($c["id"]) ?>"><td class="id"><?= h($c["id"]) ?></td><td class="peer"><?= h($c["peer"]) ?></td><td class="name"><?= h($c["name"] === null ? "-" : $c["name"]) ?></td><td class="room"><?= h(isset($c["room"]) ? $c["room"] : "-") ?></td><td class="pid"><?= h($c["pid"]) ?></td><td class="age"><?= h($c["age"]) ?></td><td class="idle"><?= h($c["idle"]) ?></td><td class="in"><?= h($c["in"]) ?></td><td class="out"><?= h($c["out"]) ?></td><td class="queued"><?= h($c["queued"]) ?></td><td><form class="send"><input name="message" size="30" placeholder="message"> <button type="submit">Send</button></form></td><td><button type="button" class="kick" title="disconnect; the message box, if filled, is the reason">Kick</button></td></tr>
<?php } ?>
</tbody>
</table>
<p id="empty"<?= count($clients) > 0 ? " hidden" : "" ?>>No clients connected.</p>
<script src="admin.js"></script>
</body>
</html>
