<?php
// php send.php <ws-url> <message> <tags JSON> [<key> <secret>]: one seed 001 send with scripts/websocket/php,
// printing "SENT <answer JSON>" (or "SENT null" untagged) or "ERROR <class>: <message>" and exiting 1.
require_once getenv('FORKCAST_WEBSOCKET_PHP') . '/WebSocketClient.php';

$request = WebSocketRequest::create($argv[2], json_decode($argv[3], true));
if (isset($argv[4])) {
    $request->setMetadata(['key' => $argv[4], 'secret' => $argv[5]]);
}
try {
    $client = WebSocketClient::factory($argv[1], ['timeout' => 30]);
    $answer = $client->send($request);
    $client->close();
    echo "SENT " . json_encode($answer) . "\n";
} catch (WebSocketException $e) {
    echo "ERROR " . get_class($e) . ": " . $e->getMessage() . "\n";
    exit(1);
}
