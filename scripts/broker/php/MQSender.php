<?php
/**
 * Seed 000's MQSender against forkcast's broker port: new MQSender($address, $port, $username, $password), then
 * ->send($data, $channel) as often as you like. The first send connects and logs in with role "sender"; later
 * sends reuse that connection (a connection found closed before a send is opened again; one that breaks after
 * the line was written is not, since a resend would be a second message with a new id).
 *
 * send() returns the server's "sent" reply as an array, ["command" => "sent", "id" => 17, "channel" => "sms",
 * "receivers" => 1] (with "stored" => true when it waits in the store for a receiver), or false on failure: the
 * reason is in $lastError and is written to error_log() (stderr under the command line) whatever $showLog says.
 * Set $throwOnError = true to get the MQException (MQRefused, MQLoginRefused, MQTimeout, MQClosed) instead.
 */
require_once __DIR__ . "/MQClient.php";

class MQSender extends MQClient {
    /** When true, send() throws its MQException instead of returning false. */
    public $throwOnError = false;
    /** Why the last send() failed, or null after a success. */
    public $lastError = null;

    public function __construct($address, $port, $username, $password) {
        parent::__construct($address, $port, $username, $password);
    }

    /**
     * Sends $data (an array, an object or any value json_encode takes) on $channel; returns the "sent" reply as
     * an array, or false (see the class comment).
     */
    public function send($data, $channel = null) {
        try {
            $this->ensureOpen();
            $command = array("command" => "send");
            if ($channel !== null && $channel !== "") {
                $command["channel"] = (string) $channel;
            }
            $command["data"] = $data;
            $this->writeObject($command);
            $reply = $this->awaitReply("sent");
            $this->lastError = null;
            $this->log("sent id=" . ($reply["id"] ?? "?") . " channel=" . ($reply["channel"] ?? $channel)
                . " receivers=" . ($reply["receivers"] ?? "?") . (!empty($reply["stored"]) ? " stored" : ""));
            return $reply;
        } catch (MQException $e) {
            $this->lastError = $e->getMessage();
            $this->warn("send failed: " . $e->getMessage());
            if ($this->throwOnError) {
                throw $e;
            }
            return false;
        }
    }

    /** Says logout and closes; the next send() logs in again. */
    public function logout() {
        if ($this->stream === null) {
            return;
        }
        try {
            $this->writeObject(array("command" => "logout"));
            $this->awaitReply("logout");
        } catch (MQException $e) {
            // Closing anyway.
        }
        $this->close();
    }

    /** Opens the connection unless one is open and the server has not closed it meanwhile. */
    private function ensureOpen() {
        if ($this->stream !== null) {
            try {
                // A zero wait reads what arrived while we were idle: a "close" line or end of stream throws.
                while (($object = $this->readObject(0)) !== null) {
                    $this->log("ignoring " . $object["command"] . " between sends");
                }
            } catch (MQClosed $e) {
                $this->log("reconnecting: " . $e->getMessage());
            }
        }
        if ($this->stream === null) {
            $this->open("sender", null);
        }
    }
}
