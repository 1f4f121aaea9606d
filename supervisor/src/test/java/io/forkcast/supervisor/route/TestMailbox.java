package io.forkcast.supervisor.route;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.message.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A mailbox in memory: decodes every frame it takes, or refuses all once {@link #refusing} is set. */
final class TestMailbox implements Mailbox {
    final List<Message> received = new ArrayList<>();
    final List<ByteBuffer> frames = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder(65536);
    boolean refusing;
    int refused;

    @Override
    public boolean post(ByteBuffer frame) {
        if (refusing) {
            refused++;
            return false;
        }
        frames.add(frame);
        try {
            decoder.feed(frame.duplicate(), received::add);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
        return true;
    }

    <T extends Message> List<T> all(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void clear() {
        received.clear();
        frames.clear();
    }
}
