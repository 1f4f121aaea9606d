<?php
// Shared by the pages: the configuration, the socket class, and helpers for escaping and JSON answers.
require_once __DIR__ . "/config.php";
require_once __DIR__ . "/classes/ServiceSocket.class.php";

function forkcast_socket() {
    global $config;
    return new ServiceSocket($config["service_socket"], $config["timeout_seconds"]);
}

/** Text fit for HTML content and quoted attribute values. */
function h($text) {
    return htmlspecialchars((string) $text, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, "UTF-8");
}

function forkcast_headers($contentType) {
    header("Content-Type: " . $contentType);
    header("Cache-Control: no-store");
    header("X-Content-Type-Options: nosniff");
    header("Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
}

/** Answers with $data as JSON, escaped so that it is also safe inside HTML, and ends the request. */
function forkcast_json($status, $data) {
    http_response_code($status);
    forkcast_headers("application/json");
    echo json_encode($data, JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT
        | JSON_INVALID_UTF8_SUBSTITUTE);
    exit;
}

/**
 * The JSON body of a POST from the admin page itself: a JSON content type (which a form on another site cannot
 * send) and, when the browser names one, our own origin. Anything else is answered with an error here.
 */
function forkcast_json_request() {
    if ($_SERVER["REQUEST_METHOD"] !== "POST") {
        header("Allow: POST");
        forkcast_json(405, array("error" => true, "message" => "use POST"));
    }
    $type = isset($_SERVER["CONTENT_TYPE"]) ? strtolower($_SERVER["CONTENT_TYPE"]) : "";
    if (strncmp($type, "application/json", 16) !== 0) {
        forkcast_json(415, array("error" => true, "message" => "send JSON (Content-Type: application/json)"));
    }
    if (isset($_SERVER["HTTP_ORIGIN"]) && isset($_SERVER["HTTP_HOST"])) {
        $scheme = (!empty($_SERVER["HTTPS"]) && $_SERVER["HTTPS"] !== "off") ? "https://" : "http://";
        if ($_SERVER["HTTP_ORIGIN"] !== $scheme . $_SERVER["HTTP_HOST"]) {
            forkcast_json(403, array("error" => true, "message" => "cross-origin request refused"));
        }
    }
    $data = json_decode(file_get_contents("php://input", false, null, 0, 65536), true);
    if (!is_array($data)) {
        forkcast_json(400, array("error" => true, "message" => "the request is not a JSON object"));
    }
    return $data;
}
