<?php
/**
 * The part of forkcast's broker clients that MQSender and MQReceiver share: one TCP connection to the broker port,
 * one JSON object per line each way (docs/protocol.md, "The broker port"), the login, and logging. Every read has
 * a deadline (stream_select, never a busy loop); end of stream and a "close" line throw MQClosed, a missing reply
 * MQTimeout, an "error" reply MQRefused. Only PHP's default extensions are used (json, standard streams).
 *
 * Logging: with $showLog true, what the client does goes to stdout, one line each (as seed 000's classes do).
 * Problems (a refused login, a dropped connection, a timeout) always go to error_log(), which is stderr under
 * the PHP command line, so that a script with $showLog = false still says why it failed.
 */
class MQException extends RuntimeException {
}

/** The connection ended: the server closed it (its reason, if it sent a "close" line, is the message) or it broke. */
class MQClosed extends MQException {
}

/** The server did not answer within the client's timeout, or the address did not accept within it. */
class MQTimeout extends MQException {
}

/** The server answered a command with an "error": command() is the command it answered, reason() its words. */
class MQRefused extends MQException {
    private $command;
    private $reason;

    public function __construct($command, $reason) {
        parent::__construct($command . ": " . $reason);
        $this->command = $command;
        $this->reason = $reason;
    }

    public function command() {
        return $this->command;
    }

    public function reason() {
        return $this->reason;
    }
}

/** The login was refused (wrong user name or password, or the server has no users file). */
class MQLoginRefused extends MQRefused {
}

class MQClient {
    /** A line longer than this from the server is taken as a broken server rather than buffered without end. */
    const MAX_LINE_BYTES = 16777216;

    /** When true, what the client does is written to stdout, one line each. */
    public $showLog = true;
    /** Seconds to wait for the connection and for each reply. */
    public $timeoutSeconds = 10;

    protected $address;
    protected $port;
    protected $username;
    protected $password;

    /** The open connection, or null. */
    protected $stream = null;
    /** Bytes read and not yet returned as lines. */
    private $buffer = "";

    public function __construct($address, $port, $username, $password) {
        $this->address = $address;
        $this->port = (int) $port;
        $this->username = $username;
        $this->password = $password;
    }

    public function __destruct() {
        $this->close();
    }

    /** Closes the connection (without a logout: the server treats it as the client leaving). */
    public function close() {
        if ($this->stream !== null) {
            @fclose($this->stream);
            $this->stream = null;
        }
        $this->buffer = "";
    }

    /** True while a connection is open (it may still have been closed by the server since the last read). */
    public function isConnected() {
        return $this->stream !== null;
    }

    protected function log($text) {
        if ($this->showLog) {
            echo date("Y-m-d H:i:s") . " " . $text . "\n";
        }
    }

    /** A problem: always reported through error_log(), and on stdout too when $showLog is on. */
    protected function warn($text) {
        error_log(static::class . ": " . $text);
        if ($this->showLog) {
            $this->log($text);
        }
    }

    /** Connects and logs in; returns the server's login reply as an array. Throws MQException on failure. */
    protected function open($role, $channel) {
        $this->close();
        $target = "tcp://" . $this->address . ":" . $this->port;
        $errno = 0;
        $errstr = "";
        $stream = @stream_socket_client($target, $errno, $errstr, $this->timeoutSeconds);
        if ($stream === false) {
            $what = "cannot connect to " . $this->address . ":" . $this->port . ": " . ($errstr !== "" ? $errstr : "error " . $errno);
            if ($errno === 110 || stripos($errstr, "timed out") !== false) {
                throw new MQTimeout($what);
            }
            throw new MQClosed($what);
        }
        stream_set_blocking($stream, false);
        $this->stream = $stream;
        $this->log("connected to " . $this->address . ":" . $this->port);
        $login = array(
            "command" => "login",
            "username" => $this->username,
            "password" => $this->password,
            "role" => $role,
        );
        if ($channel !== null && $channel !== "") {
            $login["channel"] = $channel;
        }
        $this->writeObject($login);
        try {
            $reply = $this->awaitReply("login");
        } catch (MQRefused $e) {
            $this->close();
            throw new MQLoginRefused("login", $e->reason());
        }
        $this->log("logged in as " . $this->username . " role=" . $role . ($channel !== null ? " channel=" . $channel : ""));
        return $reply;
    }

    /** Writes one object as one line. */
    protected function writeObject(array $object) {
        // json_encode never writes a raw line break: CR and LF inside strings come out as \r and \n.
        $line = json_encode($object, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION
            | JSON_INVALID_UTF8_SUBSTITUTE);
        if ($line === false) {
            throw new MQException("cannot encode the " . ($object["command"] ?? "") . " command as JSON: " . json_last_error_msg());
        }
        $this->writeLine($line);
    }

    protected function writeLine($line) {
        if ($this->stream === null) {
            throw new MQClosed("not connected");
        }
        $bytes = $line . "\n";
        $deadline = microtime(true) + $this->timeoutSeconds;
        while ($bytes !== "") {
            $written = @fwrite($this->stream, $bytes);
            if ($written === false) {
                $this->close();
                throw new MQClosed("the connection broke while writing");
            }
            $bytes = (string) substr($bytes, $written);
            if ($bytes === "") {
                break;
            }
            $left = $deadline - microtime(true);
            if ($left <= 0) {
                $this->close();
                throw new MQTimeout("the server did not take a line within " . $this->timeoutSeconds . " s");
            }
            $read = null;
            $write = array($this->stream);
            $except = null;
            @stream_select($read, $write, $except, (int) $left, (int) (fmod($left, 1) * 1000000));
        }
    }

    /**
     * The next line from the server, without its line end, or null if none came within $seconds. Throws MQClosed
     * at end of stream (after the lines before it).
     */
    protected function readLine($seconds) {
        $deadline = microtime(true) + $seconds;
        while (true) {
            $end = strpos($this->buffer, "\n");
            if ($end !== false) {
                $line = substr($this->buffer, 0, $end);
                $this->buffer = (string) substr($this->buffer, $end + 1);
                return rtrim($line, "\r");
            }
            if ($this->stream === null) {
                throw new MQClosed("not connected");
            }
            if (strlen($this->buffer) > self::MAX_LINE_BYTES) {
                $this->close();
                throw new MQException("a line from the server passed " . self::MAX_LINE_BYTES . " bytes");
            }
            $left = $deadline - microtime(true);
            if ($left <= 0) {
                return null;
            }
            $read = array($this->stream);
            $write = null;
            $except = null;
            $ready = @stream_select($read, $write, $except, (int) $left, (int) (fmod($left, 1) * 1000000));
            if ($ready === false) {
                // Interrupted by a signal: go round again; the deadline still holds.
                continue;
            }
            if ($ready === 0) {
                return null;
            }
            $chunk = @fread($this->stream, 65536);
            if ($chunk === false || ($chunk === "" && feof($this->stream))) {
                $this->close();
                throw new MQClosed("the server closed the connection");
            }
            $this->buffer .= $chunk;
        }
    }

    /**
     * The next object from the server as an array (notices and private lines are handed to handleAside() and
     * skipped), or null if none came within $seconds. A "close" line throws MQClosed with its reason.
     */
    protected function readObject($seconds) {
        $deadline = microtime(true) + $seconds;
        while (true) {
            $line = $this->readLine(max(0, $deadline - microtime(true)));
            if ($line === null) {
                return null;
            }
            if (trim($line) === "") {
                continue;
            }
            $object = json_decode($line, true);
            if (!is_array($object) || !isset($object["command"]) || !is_string($object["command"])) {
                $this->warn("ignoring a line from the server that is not a JSON object with a command: " . substr($line, 0, 200));
                continue;
            }
            $object["__line"] = $line;
            switch ($object["command"]) {
                case "close":
                    $reason = $object["reason"] ?? "no reason given";
                    $this->close();
                    throw new MQClosed("the server closed the connection: " . $reason);
                case "notice":
                case "private":
                    $this->handleAside($object);
                    continue 2;
            }
            return $object;
        }
    }

    /** Waits for the reply to $command: returns it as an array, or throws (refusal, timeout, closed). */
    protected function awaitReply($command) {
        $object = $this->readObject($this->timeoutSeconds);
        if ($object === null) {
            $this->close();
            throw new MQTimeout("no reply to " . $command . " within " . $this->timeoutSeconds . " s");
        }
        if (isset($object["error"])) {
            throw new MQRefused($object["command"], (string) $object["error"]);
        }
        if ($object["command"] !== $command) {
            $this->close();
            throw new MQException("expected a " . $command . " reply, got: " . substr($object["__line"], 0, 200));
        }
        unset($object["__line"]);
        return $object;
    }

    /**
     * A notice from the server or a private line from a chat user ({"command":"private","from":..,"text":..}).
     * Logged; override to act on them.
     */
    protected function handleAside(array $object) {
        if ($object["command"] === "private") {
            $this->log("private from " . ($object["from"] ?? "?") . ": " . ($object["text"] ?? ""));
        } else {
            $this->log("notice: " . ($object["text"] ?? ""));
        }
    }
}
