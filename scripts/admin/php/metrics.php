<?php
// The server's counters and gauges in Prometheus text format, for a scraper: the admin socket's METRICS as it is.
require_once __DIR__ . "/setup.php";
try {
    $text = forkcast_socket()->metrics();
} catch (ServiceSocketException $e) {
    http_response_code(503);
    forkcast_headers("text/plain; charset=utf-8");
    echo "forkcast: " . $e->getMessage() . "\n";
    exit;
}
forkcast_headers("text/plain; version=0.0.4; charset=utf-8");
echo $text;
