<?php
require_once __DIR__ . "/guard.php"; // Host and credentials first (DNS rebinding, state changes)
// The admin page: a header (uptime, clients, workers, spares, memory, deliveries/s), live charts, a broadcast form
// (to everyone or one room), room and kind filters, and a sortable, paged table of the connected clients with what
// each worker costs and a send form and a kick button each, kept current by admin.js from clients.php and
// overview.php. The same markup as the Java page (scripts/forkcast admin-web).
require_once __DIR__ . "/setup.php";
$problem = null;
$clients = array();
$rooms = array();
// Rows rendered here; admin.js sorts, filters and pages through the rest.
$page_size = 50;
try {
    $socket = forkcast_socket();
    $clients = $socket->listConnections();
    $rooms = $socket->listRooms();
} catch (ServiceSocketException $e) {
    $problem = $e->getMessage();
    http_response_code(503);
}
forkcast_headers("text/html; charset=utf-8");

/** Bytes as MiB with one decimal, or "-". */
function mib($bytes) {
    return $bytes === null ? "-" : number_format($bytes / 1048576, 1, ".", "");
}

/** A figure with $places decimals, or "-" when unknown. */
function fixed($value, $places) {
    return $value === null ? "-" : number_format($value, $places, ".", "");
}

/** One <option> per client kind present. */
function kind_options($clients) {
    $kinds = array();
    foreach ($clients as $c) {
        if (isset($c["kind"])) {
            $kinds[$c["kind"]] = true;
        }
    }
    ksort($kinds, SORT_STRING);
    $out = "";
    foreach (array_keys($kinds) as $kind) {
        $out .= "<option value=\"" . h($kind) . "\">" . h($kind) . "</option>";
    }
    return $out;
}

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
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.4em; text-align: left; }
th[data-sort] { cursor: pointer; white-space: nowrap; }
th[aria-sort=ascending]::after { content: " \25B2"; }
th[aria-sort=descending]::after { content: " \25BC"; }
td.cpu_percent, td.cpu, td.rss, td.pss, td.threads, td.fds { text-align: right; }
#status.error { color: #b00; }
td form { margin: 0; white-space: nowrap; }
#summary { display: flex; flex-wrap: wrap; gap: 0.5em 2em; margin: 0 0 1em; padding: 0; }
#summary div { display: flex; flex-direction: column; }
#summary dt { font-size: 0.8em; color: #555; }
#summary dd { margin: 0; font-size: 1.5em; font-weight: bold; }
#charts { display: flex; flex-wrap: wrap; gap: 1.5em; margin-bottom: 1em; }
#charts figure { margin: 0; }
#charts figcaption { font-size: 0.85em; color: #333; }
#charts svg { width: 320px; height: 100px; border: 1px solid #ddd; background: #fafafa; }
#charts polyline { fill: none; stroke: #1565c0; stroke-width: 1.5; }
#charts rect { fill: #2e7d32; }
#charts text { font-size: 9px; fill: #555; }
</style>
</head>
<body data-refresh-ms="2000" data-page-size="<?= h($page_size) ?>">
<h1>forkcast</h1>
<dl id="summary">
<div><dt>uptime</dt><dd data-stat="uptime">-</dd></div>
<div><dt>clients</dt><dd data-stat="clients">-</dd></div>
<div><dt>workers</dt><dd data-stat="workers">-</dd></div>
<div><dt>spares</dt><dd data-stat="spares">-</dd></div>
<div><dt>memory in all (PSS)</dt><dd data-stat="memory">-</dd></div>
<div><dt>deliveries/s</dt><dd data-stat="deliveries">-</dd></div>
</dl>
<div id="charts">
<figure><figcaption>clients, last 10 minutes</figcaption><svg id="chart-clients" viewBox="0 0 320 100" role="img" aria-label="clients over time"></svg></figure>
<figure><figcaption>deliveries/s, last 10 minutes</figcaption><svg id="chart-deliveries" viewBox="0 0 320 100" role="img" aria-label="deliveries per second over time"></svg></figure>
<figure><figcaption>PSS per worker (MiB): how many workers</figcaption><svg id="chart-pss" viewBox="0 0 320 100" role="img" aria-label="workers by PSS"></svg></figure>
</div>
<?php if ($problem === null) { ?>
<p id="status" role="status"></p>
<?php } else { ?>
<p id="status" role="status" class="error"><?= h($problem) ?></p>
<?php } ?>
<form id="broadcast"><label>Broadcast to <select name="room"><option value="">everyone</option><?= room_options($rooms) ?></select></label> <input name="message" size="50" placeholder="message to everyone or one room"> <button type="submit">Broadcast</button></form>
<p><label>Show <select id="room-filter"><option value="">all rooms</option><?= room_options($rooms) ?></select></label> <label>of <select id="kind-filter"><option value="">every kind</option><?= kind_options($clients) ?></select></label> <span id="pager"><button type="button" id="page-prev">&lt; previous</button> <span id="page-info"></span> <button type="button" id="page-next">next &gt;</button></span></p>
<table id="clients">
<thead><tr><th data-sort="id">id</th><th data-sort="peer">address</th><th data-sort="name">name</th><th data-sort="room">room</th><th data-sort="kind">kind</th><th data-sort="pid">pid</th><th data-sort="age">age (s)</th><th data-sort="idle">idle (s)</th><th data-sort="in" title="lines the client said">in</th><th data-sort="out" title="frames sent towards the client">out</th><th data-sort="queued">queued (B)</th><th data-sort="cpu_percent">CPU %</th><th data-sort="cpu">CPU (s)</th><th data-sort="rss">RSS (MiB)</th><th data-sort="pss">PSS (MiB)</th><th data-sort="threads">threads</th><th data-sort="fds">fds</th><th>message</th><th></th></tr></thead>
<tbody>
<?php foreach (array_slice($clients, 0, $page_size) as $c) { $c += array("room" => null, "kind" => null, "cpu" => null, "cpu_percent" => null, "rss" => null, "pss" => null, "threads" => null, "fds" => null); ?>
<tr data-client-id="<?= h($c["id"]) ?>"><td class="id"><?= h($c["id"]) ?></td><td class="peer"><?= h($c["peer"]) ?></td><td class="name"><?= h($c["name"] === null ? "-" : $c["name"]) ?></td><td class="room"><?= h($c["room"] === null ? "-" : $c["room"]) ?></td><td class="kind"><?= h($c["kind"] === null ? "-" : $c["kind"]) ?></td><td class="pid"><?= h($c["pid"]) ?></td><td class="age"><?= h($c["age"]) ?></td><td class="idle"><?= h($c["idle"]) ?></td><td class="in"><?= h($c["in"]) ?></td><td class="out"><?= h($c["out"]) ?></td><td class="queued"><?= h($c["queued"]) ?></td><td class="cpu_percent"><?= h(fixed($c["cpu_percent"], 1)) ?></td><td class="cpu"><?= h(fixed($c["cpu"], 2)) ?></td><td class="rss"><?= h(mib($c["rss"])) ?></td><td class="pss"><?= h(mib($c["pss"])) ?></td><td class="threads"><?= h($c["threads"] === null ? "-" : $c["threads"]) ?></td><td class="fds"><?= h($c["fds"] === null ? "-" : $c["fds"]) ?></td><td><form class="send"><input name="message" size="12" placeholder="message"> <button type="submit">Send</button></form></td><td><button type="button" class="kick" title="disconnect; the message box, if filled, is the reason">Kick</button></td></tr>
<?php } ?>
</tbody>
</table>
<p id="empty"<?= count($clients) > 0 ? " hidden" : "" ?>>No clients connected.</p>
<script src="admin.js"></script>
</body>
</html>
