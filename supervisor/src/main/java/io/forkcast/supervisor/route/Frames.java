package io.forkcast.supervisor.route;

import io.forkcast.protocol.frame.FrameEncoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.log.EventLog;
import io.forkcast.protocol.message.SupervisorMessage;
import java.nio.ByteBuffer;

/**
 * Encodes the supervisor's messages into frames, logging (and returning null for) one that cannot be encoded, such
 * as one over the frame limit. One Kryo behind it: confined to the loop thread.
 */
public final class Frames {
    private final FrameEncoder encoder;
    private final EventLog log;
    private final int maxFrameBytes;

    public Frames(int maxFrameBytes, EventLog log) {
        this.encoder = new FrameEncoder(maxFrameBytes);
        this.log = log;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest frame, header included. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The frame of {@code message}, or null (logged) if it cannot be encoded. */
    public ByteBuffer encode(SupervisorMessage message) {
        try {
            return encoder.encode(message);
        } catch (ProtocolException e) {
            log.error("event=encode_failed message=" + message.getClass().getSimpleName() + " reason=" + e.reason()
                    + " error=" + EventLog.quote(e.getMessage()));
            return null;
        }
    }
}
