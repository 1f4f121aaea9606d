package io.forkcast.worker.loop;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forkcast.protocol.frame.FrameFormat;
import io.forkcast.worker.front.ClientOutput;
import io.forkcast.worker.front.FrontDoor;
import io.forkcast.worker.front.broker.BrokerFrontDoor;
import io.forkcast.worker.front.telnet.TelnetFrontDoor;
import io.forkcast.worker.front.websocket.WebSocketFrontDoor;
import io.forkcast.worker.front.websocket.WebSocketSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A spare's warm-up runs each kind's parse and render paths on its sample data without failing. */
class WarmupTest {
    @Test
    void theTelnetWarmUpRuns() {
        assertDoesNotThrow(
                () -> Warmup.run(FrameFormat.DEFAULT_MAX_FRAME_BYTES, TelnetFrontDoor.KIND, TelnetFrontDoor::new));
    }

    @Test
    void theBrokerWarmUpRendersItsOrders() {
        List<ClientOutput> outputs = new ArrayList<>();
        Function<ClientOutput, FrontDoor> doors = out -> {
            outputs.add(out);
            return new BrokerFrontDoor(out, BrokerFrontDoor.DEFAULT_MAX_MESSAGE_BYTES);
        };
        assertDoesNotThrow(() -> Warmup.run(FrameFormat.DEFAULT_MAX_FRAME_BYTES, BrokerFrontDoor.KIND, doors));
        assertTrue(outputs.get(0).backlogBytes() > 0, "the broker's lines were rendered");
    }

    @Test
    void theWebSocketWarmUpOpensAndRenders() {
        List<ClientOutput> outputs = new ArrayList<>();
        Function<ClientOutput, FrontDoor> doors = out -> {
            outputs.add(out);
            return new WebSocketFrontDoor(out, WebSocketSettings.defaults(), System::nanoTime);
        };
        assertDoesNotThrow(() -> Warmup.run(FrameFormat.DEFAULT_MAX_FRAME_BYTES, WebSocketFrontDoor.KIND, doors));
        assertTrue(outputs.get(0).backlogBytes() > 0, "the 101 and the events were rendered");
    }
}
