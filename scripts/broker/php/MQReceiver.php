<?php
/**
 * Seed 000's MQReceiver against forkcast's broker port. Subclass it, override processMessage($message), and call
 * run() (or run($channel)):
 *
 *   class Receiver extends MQReceiver {
 *       public function processMessage($message) { $rows = json_decode($message)->data; ... }
 *   }
 *   (new Receiver("127.0.0.1", 8887, "manager", "secret", "sms"))->run();
 *
 * processMessage() gets the "message" line as a JSON string, {"command":"message","channel":"sms",
 * "data":[d1,d2],"ids":[17,18]}, a batch oldest first. Once it returns, the batch's ids are acknowledged; if it
 * throws, they are not, the exception leaves run() and the server delivers them again to the next receiver.
 * Delivery is at least once: an id seen before (the last $seenIdsMax of them) is dropped from a batch (and acked
 * again), and a batch with nothing new is not passed on at all.
 *
 * run() never returns while the server can be reached: a dropped connection is logged and opened again after
 * a pause that doubles from 0.5 s to $reconnectMaxSeconds (reset by a successful login). A connection that says
 * nothing for $pingSeconds is pinged; no answer within $timeoutSeconds counts as dropped. A refused login
 * (wrong password, no users file) is not retried: run() returns false.
 */
require_once __DIR__ . "/MQClient.php";

class MQReceiver extends MQClient {
    /** How many recently delivered ids are remembered to drop repeats. */
    public $seenIdsMax = 10000;
    /** Longest pause between reconnection attempts. */
    public $reconnectMaxSeconds = 30;
    /** Silence after which the server is pinged. */
    public $pingSeconds = 30;

    protected $channel;
    /** Ids already passed to processMessage, oldest first, as keys: a bounded set. */
    private $seenIds = array();

    public function __construct($address, $port, $username, $password, $channel = null) {
        parent::__construct($address, $port, $username, $password);
        $this->channel = $channel;
    }

    /** Override: called with each batch as a JSON string (see the class comment). */
    public function processMessage($message) {
        $this->log("message " . $message);
    }

    /** Listens on $channel (default: the constructor's); see the class comment. Returns false on a refused login. */
    public function run($channel = null) {
        if ($channel !== null && $channel !== "") {
            $this->channel = $channel;
        }
        if ($this->channel === null || $this->channel === "") {
            $this->warn("no channel to listen on: give one to the constructor or to run()");
            return false;
        }
        $pause = 0.5;
        while (true) {
            try {
                $this->open("receiver", $this->channel);
                $pause = 0.5;
                $this->listen();
            } catch (MQLoginRefused $e) {
                $this->warn("login refused: " . $e->reason());
                return false;
            } catch (MQException $e) {
                $this->close();
                $this->warn($e->getMessage() . "; reconnecting in " . $pause . " s");
                usleep((int) ($pause * 1000000));
                $pause = min($pause * 2, $this->reconnectMaxSeconds);
            }
        }
    }

    /** Reads until the connection fails (an MQException); processMessage's own exceptions pass through. */
    private function listen() {
        $pinged = false;
        while (true) {
            $object = $this->readObject($pinged ? $this->timeoutSeconds : $this->pingSeconds);
            if ($object === null) {
                if ($pinged) {
                    throw new MQTimeout("no reply to ping within " . $this->timeoutSeconds . " s");
                }
                $this->writeObject(array("command" => "ping"));
                $pinged = true;
                continue;
            }
            $pinged = false;
            switch ($object["command"]) {
                case "message":
                    $this->deliver($object);
                    break;
                case "pong":
                    break;
                default:
                    if (isset($object["error"])) {
                        $this->warn("the server refused " . $object["command"] . ": " . $object["error"]);
                    } else {
                        $this->log("ignoring " . $object["command"]);
                    }
            }
        }
    }

    private function deliver(array $batch) {
        $ids = isset($batch["ids"]) && is_array($batch["ids"]) ? $batch["ids"] : array();
        $data = isset($batch["data"]) && is_array($batch["data"]) ? $batch["data"] : array();
        $fresh = array();
        foreach ($ids as $index => $id) {
            if (!isset($this->seenIds[$id])) {
                $fresh[] = $index;
            }
        }
        if (count($fresh) > 0) {
            if (count($fresh) === count($ids)) {
                $message = $batch["__line"];
            } else {
                // Decoded again as objects so that {} stays {} when the batch is written out without the repeats.
                $whole = json_decode($batch["__line"]);
                $keptData = array();
                $keptIds = array();
                foreach ($fresh as $index) {
                    $keptData[] = $whole->data[$index];
                    $keptIds[] = $whole->ids[$index];
                }
                $whole->data = $keptData;
                $whole->ids = $keptIds;
                $message = json_encode($whole, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
                $this->log("dropped " . (count($ids) - count($fresh)) . " repeated ids");
            }
            $this->log("message channel=" . ($batch["channel"] ?? "") . " ids=" . implode(",", array_slice($ids, 0, 20)));
            $this->processMessage($message);
            foreach ($fresh as $index) {
                $this->remember($ids[$index]);
            }
        } elseif (count($ids) > 0) {
            $this->log("dropped a batch of " . count($ids) . " repeated ids");
        } elseif (count($data) > 0) {
            // A batch without ids cannot be acknowledged or checked for repeats; pass it on as it is.
            $this->processMessage($batch["__line"]);
        }
        if (count($ids) > 0) {
            $this->writeObject(array("command" => "ack", "ids" => array_values($ids)));
        }
    }

    private function remember($id) {
        $this->seenIds[$id] = true;
        while (count($this->seenIds) > $this->seenIdsMax) {
            unset($this->seenIds[array_key_first($this->seenIds)]);
        }
    }
}
