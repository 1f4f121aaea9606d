<?php
/**
 * A WebSocket client for PHP programs that push to forkcast's browsers (seed 001's WebSocketClient shape):
 *
 *   WebSocketClient::factory('ws://localhost:8080')
 *       ->send(WebSocketRequest::create('Bonjour', ['language' => 'FR'])->setMetadata(['key' => .., 'secret' => ..]));
 *
 * The client side of RFC 6455 by hand over stream_socket_client, with only PHP's default extensions: the opening
 * handshake (a random Sec-WebSocket-Key, the server's Sec-WebSocket-Accept checked), masked frames out, text
 * frames in (fragments joined, pings answered), and the close handshake. Every wait has a deadline kept with
 * stream_select, never a busy loop; end of stream throws WebSocketClosed. Not for concurrent use: one per process.
 *
 *   new ──connect (on first send)──▶ open ──send/receive*──▶ close ──▶ closed
 */
require_once __DIR__ . '/WebSocketRequest.php';

class WebSocketException extends RuntimeException {
}

/** The connection ended, or never opened: the server closed it (its code and reason are the message) or it broke. */
class WebSocketClosed extends WebSocketException {
}

/** The server did not answer within the client's timeout. */
class WebSocketTimeout extends WebSocketException {
}

/**
 * The server said no: an opening answered with an HTTP status other than 101 (status() is it, the body the reason),
 * or a request answered {"type":"error"} (status() is 0).
 */
class WebSocketRefused extends WebSocketException {
    private $status;
    private $reason;

    public function __construct($message, $status, $reason) {
        parent::__construct($message);
        $this->status = $status;
        $this->reason = $reason;
    }

    public function status() {
        return $this->status;
    }

    public function reason() {
        return $this->reason;
    }
}

class WebSocketClient {
    /** RFC 6455 section 1.3: the server proves it read our key by hashing it with this. */
    const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
    /** A response head longer than this is not a WebSocket server's. */
    const MAX_HEAD_BYTES = 16384;
    /** A message from the server longer than this is refused before it is buffered. */
    const MAX_MESSAGE_BYTES = 16777216;

    private $url;
    private $host;
    private $port;
    private $target;
    /** Seconds any one wait (connect, handshake, an answer, a write) may take. */
    private $timeout;
    private $socket = null;
    /** Bytes read from the socket and not yet taken as part of a frame. */
    private $buffer = '';
    /** True once close() sent our close frame: the server's close is then the echo, not answered again. */
    private $closing = false;

    /** $url: ws://host:port/?tags=..&key=..&secret=..; $options: ['timeout' => seconds (10)]. */
    public function __construct($url, array $options = []) {
        $parts = parse_url($url);
        if ($parts === false || !isset($parts['scheme'], $parts['host']) || strtolower($parts['scheme']) !== 'ws') {
            throw new InvalidArgumentException("not a ws:// URL: " . $url . " (put a proxy in front for wss://)");
        }
        $this->url = $url;
        $this->host = $parts['host'];
        $this->port = isset($parts['port']) ? (int) $parts['port'] : 80;
        $this->target = (isset($parts['path']) && $parts['path'] !== '' ? $parts['path'] : '/')
            . (isset($parts['query']) ? '?' . $parts['query'] : '');
        $this->timeout = isset($options['timeout']) ? (float) $options['timeout'] : 10.0;
    }

    public static function factory($url, array $options = []) {
        return new WebSocketClient($url, $options);
    }

    /**
     * Sends one request. With tags, waits for the server's answer and returns it decoded (['type' => 'sent',
     * 'receivers' => N]), or throws WebSocketRefused with the server's reason; without tags the message is a line
     * to this connection's room, which the server does not answer, and null is returned.
     */
    public function send(WebSocketRequest $request) {
        $this->connect();
        $this->writeFrame(0x1, $request->toJson());
        if (!$request->getTags()) {
            return null;
        }
        $deadline = microtime(true) + $this->timeout;
        while (true) {
            $event = json_decode($this->receiveBefore($deadline), true);
            $type = is_array($event) && isset($event['type']) ? $event['type'] : null;
            if ($type === 'sent') {
                return $event;
            }
            if ($type === 'error') {
                $reason = isset($event['text']) ? $event['text'] : '';
                throw new WebSocketRefused("send refused by " . $this->where() . ": " . $reason, 0, $reason);
            }
            // Anything else (welcome, who, history, lines of the room) is not the answer: read on.
        }
    }

    /** The next text message from the server, waiting at most the client's timeout. */
    public function receive() {
        $this->connect();
        return $this->receiveBefore(microtime(true) + $this->timeout);
    }

    /** Opens the connection if it is not open; send() and receive() call it. */
    public function connect() {
        if ($this->socket !== null) {
            return $this;
        }
        $errno = 0;
        $errstr = '';
        $socket = @stream_socket_client(
            'tcp://' . $this->host . ':' . $this->port, $errno, $errstr, $this->timeout);
        if ($socket === false) {
            throw new WebSocketClosed("cannot connect to " . $this->where() . ": " . $errstr . " (errno " . $errno . ")");
        }
        stream_set_blocking($socket, false);
        $this->socket = $socket;
        $this->buffer = '';
        $this->closing = false;
        try {
            $this->handshake();
        } catch (Exception $e) {
            $this->drop();
            throw $e;
        }
        return $this;
    }

    /** Says goodbye (close 1000) and waits briefly for the server's echo; safe to call twice. */
    public function close() {
        if ($this->socket === null) {
            return;
        }
        try {
            $this->closing = true;
            $this->writeFrame(0x8, pack('n', 1000));
            $deadline = microtime(true) + min($this->timeout, 2.0);
            while (true) {
                $this->receiveBefore($deadline); // until the echo arrives as WebSocketClosed
            }
        } catch (WebSocketException $e) {
            // The echo, a timeout or a broken connection: closed either way.
        }
        $this->drop();
    }

    public function __destruct() {
        $this->close();
    }

    private function where() {
        return $this->host . ':' . $this->port;
    }

    private function handshake() {
        $key = base64_encode(random_bytes(16));
        $this->writeAll("GET " . $this->target . " HTTP/1.1\r\n"
            . "Host: " . $this->host . ':' . $this->port . "\r\n"
            . "Upgrade: websocket\r\n"
            . "Connection: Upgrade\r\n"
            . "Sec-WebSocket-Key: " . $key . "\r\n"
            . "Sec-WebSocket-Version: 13\r\n\r\n", microtime(true) + $this->timeout);
        $deadline = microtime(true) + $this->timeout;
        while (($end = strpos($this->buffer, "\r\n\r\n")) === false) {
            if (strlen($this->buffer) > self::MAX_HEAD_BYTES) {
                throw new WebSocketException("opening " . $this->where() . ": response head over "
                    . self::MAX_HEAD_BYTES . " bytes");
            }
            $this->fill($deadline);
        }
        $head = substr($this->buffer, 0, $end);
        $this->buffer = (string) substr($this->buffer, $end + 4);
        $lines = explode("\r\n", $head);
        if (!preg_match('#^HTTP/1\.[01] (\d{3})#', $lines[0], $m)) {
            throw new WebSocketException("opening " . $this->where() . ": not an HTTP answer: " . $lines[0]);
        }
        $headers = [];
        foreach (array_slice($lines, 1) as $line) {
            $colon = strpos($line, ':');
            if ($colon !== false) {
                $headers[strtolower(trim(substr($line, 0, $colon)))] = trim(substr($line, $colon + 1));
            }
        }
        $status = (int) $m[1];
        if ($status !== 101) {
            $reason = trim($this->readBody($headers, $deadline));
            throw new WebSocketRefused("opening " . $this->where() . " refused: HTTP " . $status
                . ($reason !== '' ? ": " . $reason : ''), $status, $reason);
        }
        $expected = base64_encode(sha1($key . self::ACCEPT_GUID, true));
        if (!isset($headers['upgrade']) || strtolower($headers['upgrade']) !== 'websocket'
            || !isset($headers['sec-websocket-accept']) || !hash_equals($expected, $headers['sec-websocket-accept'])) {
            throw new WebSocketException("opening " . $this->where()
                . ": the server's 101 lacks Upgrade: websocket or the right Sec-WebSocket-Accept");
        }
    }

    /** The body of a refusal: Content-Length bytes, or what comes until the server closes; 64 KiB at most. */
    private function readBody(array $headers, $deadline) {
        $want = isset($headers['content-length']) ? min((int) $headers['content-length'], 65536) : 65536;
        try {
            while (strlen($this->buffer) < $want) {
                $this->fill($deadline);
            }
        } catch (WebSocketException $e) {
            // Closed or slow: the reason is what arrived.
        }
        return substr($this->buffer, 0, $want);
    }

    /** One whole text message, answering pings on the way; a close from the server throws WebSocketClosed. */
    private function receiveBefore($deadline) {
        $message = null;
        while (true) {
            $b = $this->take(2, $deadline);
            $fin = (ord($b[0]) & 0x80) !== 0;
            $opcode = ord($b[0]) & 0x0F;
            if ((ord($b[0]) & 0x70) !== 0 || (ord($b[1]) & 0x80) !== 0) {
                $this->fail(1002, "reserved bits or a mask on a server frame");
            }
            $length = ord($b[1]) & 0x7F;
            if ($length === 126) {
                $length = unpack('n', $this->take(2, $deadline))[1];
            } elseif ($length === 127) {
                $length = unpack('J', $this->take(8, $deadline))[1];
            }
            if ($length < 0 || $length + strlen((string) $message) > self::MAX_MESSAGE_BYTES) {
                $this->fail(1009, "a message over " . self::MAX_MESSAGE_BYTES . " bytes");
            }
            $payload = $length > 0 ? $this->take($length, $deadline) : '';
            switch ($opcode) {
                case 0x9:
                    $this->writeFrame(0xA, $payload);
                    break;
                case 0xA:
                    break;
                case 0x8:
                    $code = strlen($payload) >= 2 ? unpack('n', substr($payload, 0, 2))[1] : 1005;
                    try {
                        if (!$this->closing) {
                            $this->writeFrame(0x8, pack('n', $code === 1005 ? 1000 : $code));
                        }
                    } catch (WebSocketException $e) {
                        // It may have gone already; it is closed either way.
                    }
                    $this->drop();
                    throw new WebSocketClosed("closed by " . $this->where() . ": " . $code
                        . (strlen($payload) > 2 ? " " . substr($payload, 2) : ''));
                case 0x1:
                case 0x0:
                    if (($opcode === 0x1) !== ($message === null)) {
                        $this->fail(1002, "a continuation out of place");
                    }
                    $message = (string) $message . $payload;
                    if ($fin) {
                        return $message;
                    }
                    break;
                default:
                    $this->fail(1003, "opcode " . $opcode . " (only text is expected)");
            }
        }
    }

    /** Closes with $code and throws: the server broke the protocol. */
    private function fail($code, $why) {
        try {
            $this->writeFrame(0x8, pack('n', $code));
        } catch (WebSocketException $e) {
            // Best effort only.
        }
        $this->drop();
        throw new WebSocketException("protocol error from " . $this->where() . ": " . $why);
    }

    /** Exactly $n bytes of the stream, reading as needed until $deadline. */
    private function take($n, $deadline) {
        while (strlen($this->buffer) < $n) {
            $this->fill($deadline);
        }
        $bytes = substr($this->buffer, 0, $n);
        $this->buffer = (string) substr($this->buffer, $n);
        return $bytes;
    }

    /** Reads what has arrived, waiting for it with stream_select; end of stream throws, so nothing spins. */
    private function fill($deadline) {
        if ($this->socket === null) {
            throw new WebSocketClosed("not connected to " . $this->where());
        }
        $left = $deadline - microtime(true);
        if ($left <= 0) {
            throw new WebSocketTimeout("no answer from " . $this->where() . " within " . $this->timeout . " s");
        }
        $read = [$this->socket];
        $write = null;
        $except = null;
        $ready = @stream_select($read, $write, $except, (int) $left, (int) (($left - (int) $left) * 1000000));
        if ($ready === false) {
            throw new WebSocketClosed("waiting for " . $this->where() . " failed");
        }
        if ($ready === 0) {
            throw new WebSocketTimeout("no answer from " . $this->where() . " within " . $this->timeout . " s");
        }
        $chunk = @fread($this->socket, 65536);
        if ($chunk === false || $chunk === '') {
            // Readable yet empty is end of stream: looping on it again would spin.
            $this->drop();
            throw new WebSocketClosed("connection to " . $this->where() . " closed");
        }
        $this->buffer .= $chunk;
    }

    /** One frame, masked with a fresh random key as RFC 6455 requires of a client. */
    private function writeFrame($opcode, $payload) {
        $length = strlen($payload);
        if ($length < 126) {
            $head = chr(0x80 | $opcode) . chr(0x80 | $length);
        } elseif ($length < 65536) {
            $head = chr(0x80 | $opcode) . chr(0x80 | 126) . pack('n', $length);
        } else {
            $head = chr(0x80 | $opcode) . chr(0x80 | 127) . pack('J', $length);
        }
        $mask = random_bytes(4);
        $masked = $length > 0 ? $payload ^ substr(str_repeat($mask, intdiv($length, 4) + 1), 0, $length) : '';
        $this->writeAll($head . $mask . $masked, microtime(true) + $this->timeout);
    }

    private function writeAll($bytes, $deadline) {
        if ($this->socket === null) {
            throw new WebSocketClosed("not connected to " . $this->where());
        }
        while ($bytes !== '') {
            $left = $deadline - microtime(true);
            $read = null;
            $write = [$this->socket];
            $except = null;
            if ($left <= 0 || !@stream_select($read, $write, $except, (int) $left,
                    (int) (($left - (int) $left) * 1000000))) {
                throw new WebSocketTimeout("writing to " . $this->where() . " took over " . $this->timeout . " s");
            }
            $written = @fwrite($this->socket, $bytes);
            if ($written === false || $written === 0) {
                $this->drop();
                throw new WebSocketClosed("connection to " . $this->where() . " closed while writing");
            }
            $bytes = (string) substr($bytes, $written);
        }
    }

    private function drop() {
        if ($this->socket !== null) {
            @fclose($this->socket);
            $this->socket = null;
        }
    }
}
