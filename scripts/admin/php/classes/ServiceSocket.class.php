<?php
/**
 * A connection to forkcast's admin socket with the API of the tutorial's ServiceSocket (listConnections(),
 * sendMessage()) and forkcast's rooms (listRooms(), sendRoom(), broadcast()), without its failure modes: every
 * read has a deadline, end of file and errors throw a ServiceSocketException instead of spinning, messages keep
 * their spaces, and a line break in a message or a room name cannot smuggle in a second command.
 */
class ServiceSocketException extends RuntimeException {
}

/** The server answered ERROR: the command was understood and refused; reason() is the server's words. */
class ServiceSocketRefused extends ServiceSocketException {
    private $reason;

    function __construct($message, $reason) {
        parent::__construct($message);
        $this->reason = $reason;
    }

    function reason() {
        return $this->reason;
    }
}

class ServiceSocket {
    const MAX_REPLY_BYTES = 67108864;

    private $socket = null;
    private $socketPath;
    private $timeoutSeconds;
    private $buffer = "";

    function __construct($socketPath, $timeoutSeconds = 5) {
        $this->socketPath = $socketPath;
        $this->timeoutSeconds = $timeoutSeconds;
        $socket = @socket_create(AF_UNIX, SOCK_STREAM, 0);
        if ($socket === false) {
            throw new ServiceSocketException("cannot create a socket: " . socket_strerror(socket_last_error()));
        }
        $timeout = array("sec" => (int) $timeoutSeconds, "usec" => (int) (fmod($timeoutSeconds, 1) * 1000000));
        socket_set_option($socket, SOL_SOCKET, SO_RCVTIMEO, $timeout);
        socket_set_option($socket, SOL_SOCKET, SO_SNDTIMEO, $timeout);
        if (!@socket_connect($socket, $socketPath)) {
            $error = socket_strerror(socket_last_error($socket));
            socket_close($socket);
            throw new ServiceSocketException("cannot connect to admin socket " . $socketPath . ": " . $error);
        }
        $this->socket = $socket;
    }

    function __destruct() {
        $this->close();
    }

    function close() {
        if ($this->socket !== null) {
            socket_close($this->socket);
            $this->socket = null;
        }
    }

    /** The next line from the socket, without its line break; throws on timeout, error or end of file. */
    function getLine() {
        $deadline = microtime(true) + $this->timeoutSeconds;
        while (true) {
            $pos = strpos($this->buffer, "\n");
            if ($pos !== false) {
                $line = substr($this->buffer, 0, $pos);
                $this->buffer = substr($this->buffer, $pos + 1);
                return rtrim($line, "\r");
            }
            if (microtime(true) > $deadline) {
                throw new ServiceSocketException("no reply from admin socket " . $this->socketPath . " within "
                    . $this->timeoutSeconds . " s");
            }
            $data = @socket_read($this->socket, 65536, PHP_BINARY_READ);
            if ($data === false) {
                $errno = socket_last_error($this->socket);
                socket_clear_error($this->socket);
                if ($errno === SOCKET_EINTR) {
                    continue;
                }
                if ($errno === SOCKET_EAGAIN || $errno === SOCKET_EWOULDBLOCK) {
                    throw new ServiceSocketException("no reply from admin socket " . $this->socketPath . " within "
                        . $this->timeoutSeconds . " s");
                }
                throw new ServiceSocketException("reading admin socket " . $this->socketPath . " failed: "
                    . socket_strerror($errno));
            }
            if ($data === "") {
                throw new ServiceSocketException("admin socket " . $this->socketPath
                    . " closed the connection before replying");
            }
            $this->buffer .= $data;
            if (strlen($this->buffer) > self::MAX_REPLY_BYTES) {
                throw new ServiceSocketException("reply from admin socket " . $this->socketPath . " is too long");
            }
        }
    }

    /**
     * Sends one command line and reads its whole reply: array("ok" => true, "lines" => [...]) with the OK line or
     * the lines between the START and END markers, or array("ok" => false, "error" => reason) for ERROR. A line
     * break (CR or LF) in $line is refused with a ServiceSocketException before anything is sent: it would end
     * the command early and run the rest as a second one.
     */
    function command($line) {
        if (strpbrk((string) $line, "\r\n") !== false) {
            throw new ServiceSocketException("the command contains a line break (CR or LF); an admin command is"
                . " one line");
        }
        $this->write($line . "\n");
        $first = $this->getLine();
        if ($first === "=== START ===") {
            $lines = array();
            while (($next = $this->getLine()) !== "=== END ===") {
                $lines[] = $next;
            }
            return array("ok" => true, "lines" => $lines);
        }
        if (strncmp($first, "ERROR", 5) === 0) {
            $reason = trim(substr($first, 5));
            if ($reason === "permission denied") {
                throw new ServiceSocketException("admin socket " . $this->socketPath
                    . " refused this user (uid " . posix_geteuid() . "): permission denied; see --admin-group");
            }
            return array("ok" => false, "error" => $reason);
        }
        if ($first === "OK" || strncmp($first, "OK ", 3) === 0) {
            return array("ok" => true, "lines" => array($first));
        }
        throw new ServiceSocketException("unexpected reply from admin socket " . $this->socketPath . ": " . $first);
    }

    /** Every connected client: clientId and host as in the tutorial, and the other LIST fields. */
    function listConnections() {
        $reply = $this->command("LIST JSON");
        if (!$reply["ok"]) {
            throw new ServiceSocketException("LIST failed: " . $reply["error"]);
        }
        $data = json_decode(substr($reply["lines"][0], 3), true);
        if (!is_array($data) || !isset($data["clients"]) || !is_array($data["clients"])) {
            throw new ServiceSocketException("LIST JSON did not answer with a list of clients");
        }
        $clients = array();
        foreach ($data["clients"] as $c) {
            $c["clientId"] = (string) $c["id"];
            $c["host"] = $c["peer"];
            $clients[] = $c;
        }
        return $clients;
    }

    /** Shows $message to one client as "*** admin: message"; true, or the server's reason ("Client Not Found"). */
    function sendMessage($clientId, $message) {
        if (!preg_match('/^[0-9]{1,18}$/', (string) $clientId)) {
            return "Client Not Found";
        }
        $reply = $this->command("SEND MESSAGE " . $clientId . " " . self::oneLine($message));
        return $reply["ok"] ? true : $reply["error"];
    }

    /** Disconnects one client, telling it $reason; true, or the server's reason. */
    function kick($clientId, $reason = "") {
        if (!preg_match('/^[0-9]{1,18}$/', (string) $clientId)) {
            return "Client Not Found";
        }
        $reason = trim(self::oneLine($reason));
        $reply = $this->command("KICK " . $clientId . ($reason === "" ? "" : " " . $reason));
        return $reply["ok"] ? true : $reply["error"];
    }

    /** Shows $message to every client; returns how many it reached. A refusal throws ServiceSocketRefused. */
    function broadcast($message) {
        $reply = $this->command("BROADCAST " . self::oneLine($message));
        if (!$reply["ok"]) {
            throw new ServiceSocketRefused("BROADCAST failed: " . $reply["error"], $reply["error"]);
        }
        return (int) substr($reply["lines"][0], 3);
    }

    /** Every room, in order of creation: array("name" => .., "members" => n, "topic" => text or null) each. */
    function listRooms() {
        $reply = $this->command("LIST ROOMS JSON");
        if (!$reply["ok"]) {
            throw new ServiceSocketException("LIST ROOMS failed: " . $reply["error"]);
        }
        $data = json_decode(substr($reply["lines"][0], 3), true);
        if (!is_array($data) || !isset($data["rooms"]) || !is_array($data["rooms"])) {
            throw new ServiceSocketException("LIST ROOMS JSON did not answer with a list of rooms");
        }
        $rooms = array();
        foreach ($data["rooms"] as $r) {
            $rooms[] = array("name" => (string) $r["name"], "members" => (int) $r["members"],
                "topic" => isset($r["topic"]) ? (string) $r["topic"] : null);
        }
        return $rooms;
    }

    /**
     * Shows $message to every member of $room as "*** admin: message": how many it reached (an int), or the
     * server's reason (a string, "Room Not Found"). A name that breaks the room rule cannot name a room.
     */
    function sendRoom($room, $message) {
        if (!is_string($room) || !preg_match('/^#?[A-Za-z0-9._-]{1,32}\z/', $room)) {
            return "Room Not Found";
        }
        $reply = $this->command("SEND ROOM " . $room . " " . $message);
        return $reply["ok"] ? (int) substr($reply["lines"][0], 3) : $reply["error"];
    }

    /** The server's counters, name => value. */
    function stats() {
        $reply = $this->command("STATS JSON");
        if (!$reply["ok"]) {
            throw new ServiceSocketException("STATS failed: " . $reply["error"]);
        }
        return json_decode(substr($reply["lines"][0], 3), true);
    }

    /**
     * The last ten minutes, oldest first: array("interval_seconds" => 2, "points" => [[time, clients,
     * deliveries_per_second, memory_pss], ...]).
     */
    function history() {
        $reply = $this->command("HISTORY JSON");
        if (!$reply["ok"]) {
            throw new ServiceSocketException("HISTORY failed: " . $reply["error"]);
        }
        $data = json_decode(substr($reply["lines"][0], 3), true);
        if (!is_array($data) || !isset($data["points"]) || !is_array($data["points"])) {
            throw new ServiceSocketException("HISTORY JSON did not answer with a list of points");
        }
        return array("interval_seconds" => (int) $data["interval_seconds"], "points" => $data["points"]);
    }

    /** Every counter and gauge in Prometheus text format, each line ended by LF. */
    function metrics() {
        $reply = $this->command("METRICS");
        if (!$reply["ok"]) {
            throw new ServiceSocketException("METRICS failed: " . $reply["error"]);
        }
        return implode("\n", $reply["lines"]) . "\n";
    }

    /** A message's line breaks become spaces, as the Java client does: a message is shown on one line. */
    private static function oneLine($text) {
        return str_replace(array("\r", "\n"), " ", (string) $text);
    }

    private function write($data) {
        while ($data !== "") {
            $written = @socket_write($this->socket, $data);
            if ($written === false) {
                $error = socket_strerror(socket_last_error($this->socket));
                // A server that turned this user away has already closed; its one line may still be readable.
                $said = @socket_read($this->socket, 4096, PHP_BINARY_READ);
                if (is_string($said) && strncmp($this->buffer . $said, "ERROR", 5) === 0) {
                    $this->buffer .= $said;
                    return;
                }
                throw new ServiceSocketException("writing to admin socket " . $this->socketPath . " failed: " . $error);
            }
            $data = (string) substr($data, $written);
        }
    }
}
