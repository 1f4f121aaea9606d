package io.forkcast.supervisor.route;

import io.forkcast.protocol.frame.FrameDecoder;
import io.forkcast.protocol.frame.ProtocolException;
import io.forkcast.protocol.message.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A mailbox in memory: decodes every frame it takes, or refuses all once {@link #refusing} is set; holds lines'
 * receipts until {@link #written} while {@link #holding} is set.
 */
final class TestMailbox implements Mailbox {
    final List<Message> received = new ArrayList<>();
    final List<ByteBuffer> frames = new ArrayList<>();
    private final FrameDecoder decoder = new FrameDecoder(65536);
    boolean refusing;
    int refused;
    /** Set: receipts are held, as a link's outbox holds them until written, and kept in {@link #held}. */
    boolean holding;

    final List<Receipt> held = new ArrayList<>();

    @Override
    public boolean post(ByteBuffer frame, Receipt receipt) {
        boolean taken = post(frame);
        if (taken && holding) {
            receipt.hold();
            held.add(receipt);
        }
        return taken;
    }

    /** The frames held are written: their receipts are released. */
    void written() {
        held.forEach(Receipt::release);
        held.clear();
    }

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
