<?php
/**
 * One request to forkcast's WebSocket port in seed 001's shape (docs/protocol.md, "The WebSocket port"):
 * {"message":..,"tags":{..},"metadata":{"key":..,"secret":..}}. With tags the server forwards the message to every
 * WebSocket client whose connection tags contain all the pairs and answers how many got it; without tags it is a
 * line to the sender's room. A plain value object: build it, hand it to WebSocketClient::send().
 */
class WebSocketRequest {
    private $message;
    private $tags;
    private $metadata;

    /** $message: a string (or anything json_encode takes); $tags: ['language' => 'FR', ...], string values. */
    public function __construct($message, array $tags = []) {
        $this->message = $message;
        $this->setTags($tags);
        $this->metadata = [];
    }

    public static function create($message, array $tags = []) {
        return new WebSocketRequest($message, $tags);
    }

    public function getMessage() {
        return $this->message;
    }

    public function getTags() {
        return $this->tags;
    }

    /** The tags the message goes to; the server matches strings, so every value is made one. */
    public function setTags(array $tags) {
        $this->tags = [];
        foreach ($tags as $name => $value) {
            $this->tags[(string) $name] = (string) $value;
        }
        return $this;
    }

    public function getMetadata() {
        return $this->metadata;
    }

    /** ['key' => .., 'secret' => ..] of an application of the server's ws_auth_file. */
    public function setMetadata(array $metadata) {
        $this->metadata = $metadata;
        return $this;
    }

    /** The text frame's JSON; tags and metadata are left out when empty, as 001's client does. */
    public function toJson() {
        $request = ['message' => $this->message];
        if ($this->tags) {
            $request['tags'] = (object) $this->tags;
        }
        if ($this->metadata) {
            $request['metadata'] = (object) $this->metadata;
        }
        return json_encode($request, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
    }
}
