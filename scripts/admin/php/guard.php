<?php
// Included first by every admin page, before anything is read or done: the request's Host must name this server
// (localhost, the loopback addresses, the address it was reached on, or a name in admin_web_hosts), which
// defeats DNS rebinding (a page on another site that rebinds its name to us still sends its own name); and when
// admin_web_password_file is set (one line, user:password, not readable by others) every request needs those
// credentials (HTTP basic). A request that reached us on an address other than loopback needs them always.
// Settings: $FORKCAST_ADMIN_WEB_HOSTS and $FORKCAST_ADMIN_WEB_PASSWORD_FILE, else the keys of the same name in
// $FORKCAST_CONFIG or /etc/forkcast/forkcast.conf.

/** A setting from the environment, else from forkcast's config file; "" when neither has it. */
function forkcast_guard_setting($key) {
    $env = getenv(strtoupper("forkcast_" . $key));
    if ($env !== false) {
        return $env;
    }
    $file = getenv("FORKCAST_CONFIG") ?: "/etc/forkcast/forkcast.conf";
    if (!is_readable($file)) {
        return "";
    }
    foreach (file($file, FILE_IGNORE_NEW_LINES) as $line) {
        $eq = strpos($line, "=");
        if ($eq === false || strncmp(ltrim($line), "#", 1) === 0 || trim(substr($line, 0, $eq)) !== $key) {
            continue;
        }
        return trim(trim(substr($line, $eq + 1)), "\"");
    }
    return "";
}

/** The host name of a Host header: no port, no IPv6 brackets, lower case. */
function forkcast_guard_host_name($host) {
    $host = strtolower(trim($host));
    if (strncmp($host, "[", 1) === 0) {
        $end = strpos($host, "]");
        return $end === false ? $host : substr($host, 1, $end - 1);
    }
    return substr_count($host, ":") === 1 ? substr($host, 0, strpos($host, ":")) : $host;
}

function forkcast_guard_refuse($status, $text, $challenge = false) {
    http_response_code($status);
    header("Content-Type: text/plain; charset=utf-8");
    header("Cache-Control: no-store");
    if ($challenge) {
        header("WWW-Authenticate: Basic realm=\"forkcast admin\", charset=\"UTF-8\"");
    }
    echo $text . "\n";
    exit;
}

function forkcast_guard() {
    $serverAddr = isset($_SERVER["SERVER_ADDR"]) ? $_SERVER["SERVER_ADDR"] : "";
    $allowed = array("localhost", "127.0.0.1", "::1");
    if ($serverAddr !== "" && $serverAddr !== "0.0.0.0" && $serverAddr !== "::") {
        $allowed[] = forkcast_guard_host_name(strpos($serverAddr, ":") !== false ? "[" . $serverAddr . "]" : $serverAddr);
    }
    foreach (explode(",", forkcast_guard_setting("admin_web_hosts")) as $extra) {
        if (trim($extra) !== "") {
            $allowed[] = forkcast_guard_host_name($extra);
        }
    }
    $host = isset($_SERVER["HTTP_HOST"]) ? forkcast_guard_host_name($_SERVER["HTTP_HOST"]) : "";
    if ($host === "" || !in_array($host, $allowed, true)) {
        forkcast_guard_refuse(421, "unexpected Host header");
    }
    $passwordFile = forkcast_guard_setting("admin_web_password_file");
    if ($passwordFile === "") {
        $loopback = $serverAddr === "" || $serverAddr === "::1" || strncmp($serverAddr, "127.", 4) === 0;
        if (!$loopback) {
            forkcast_guard_refuse(403, "the admin pages on an address other than loopback need admin_web_password_file");
        }
        return;
    }
    $mode = @fileperms($passwordFile);
    $line = $mode === false ? false : @file_get_contents($passwordFile);
    if ($line === false || ($mode & 0006) !== 0 || strpos(trim($line), ":") === false) {
        forkcast_guard_refuse(500, "admin_web_password_file must be one line user:password, not readable by others");
    }
    $given = null;
    if (isset($_SERVER["PHP_AUTH_USER"])) {
        $given = $_SERVER["PHP_AUTH_USER"] . ":" . (isset($_SERVER["PHP_AUTH_PW"]) ? $_SERVER["PHP_AUTH_PW"] : "");
    } elseif (isset($_SERVER["HTTP_AUTHORIZATION"]) && strncasecmp($_SERVER["HTTP_AUTHORIZATION"], "Basic ", 6) === 0) {
        $given = base64_decode(trim(substr($_SERVER["HTTP_AUTHORIZATION"], 6)), true);
    }
    if (!is_string($given) || !hash_equals(trim($line), $given)) {
        forkcast_guard_refuse(401, "credentials required", true);
    }
}

forkcast_guard();
