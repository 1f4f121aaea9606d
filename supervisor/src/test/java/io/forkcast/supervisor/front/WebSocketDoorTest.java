package io.forkcast.supervisor.front;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forkcast.supervisor.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WebSocket door: a refusal is a whole HTTP response a browser can show, and the flags its workers get. */
class WebSocketDoorTest {
    @Test
    void aRefusalIsA503WithTheReasonAsTextAndConnectionClose() {
        var door = new WebSocketDoor(Config.defaults().webSocket());
        var bytes = door.refusal("server full, please try again later");
        String text = StandardCharsets.UTF_8.decode(bytes).toString();
        String body = "server full, please try again later\n";
        assertEquals(
                "HTTP/1.1 503 Service Unavailable\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: " + body.length() + "\r\n"
                        + "Retry-After: 10\r\n"
                        + "Connection: close\r\n"
                        + "\r\n"
                        + body,
                text);
        assertEquals("websocket", door.name());
    }

    @Test
    void aReasonCannotEndTheHead() {
        var text = StandardCharsets.UTF_8
                .decode(new WebSocketDoor(Config.defaults().webSocket()).refusal("a\r\nX-Evil: 1"))
                .toString();
        assertEquals("a  X-Evil: 1\n", text.substring(text.indexOf("\r\n\r\n") + 4));
    }

    @Test
    void workersGetTheLimitsAndTheOriginsOnlyWhenSet() throws Exception {
        assertEquals(
                List.of(
                        "--ws-ping-interval-ms", "30000",
                        "--ws-max-message-bytes", "61440",
                        "--ws-tags-max", "16",
                        "--ws-tag-bytes-max", "64"),
                new WebSocketDoor(Config.defaults().webSocket()).workerArguments());
        var config = Config.fromArgs(List.of(
                "--ws-allowed-origins",
                "https://chat.example.org, http://localhost:8080",
                "--ws-ping-interval",
                "1500ms",
                "--ws-tags-max",
                "3"));
        assertEquals(
                List.of(
                        "--ws-ping-interval-ms", "1500",
                        "--ws-max-message-bytes", "61440",
                        "--ws-tags-max", "3",
                        "--ws-tag-bytes-max", "64",
                        "--ws-allowed-origins", "https://chat.example.org, http://localhost:8080"),
                new WebSocketDoor(config.webSocket()).workerArguments());
    }
}
