package io.forkcast.protocol.frame;

import static io.forkcast.protocol.frame.FrameFormat.HEADER_BYTES;
import static io.forkcast.protocol.frame.FrameFormat.HEAD_HEX_BYTES;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import io.forkcast.protocol.kryo.KryoRegistry;
import io.forkcast.protocol.message.Message;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Turns a Message into one complete, immutable frame that any number of outboxes may share (each takes a
 * {@code duplicate()}). Not thread-safe: one encoder, and so one Kryo, per thread.
 */
public final class FrameEncoder {
    private final int maxFrameBytes;
    private final Kryo kryo = KryoRegistry.newKryo();
    private final Output output;
    private final CRC32C crc = new CRC32C();

    public FrameEncoder(int maxFrameBytes) {
        this.maxFrameBytes = FrameFormat.checkMaxFrameBytes(maxFrameBytes);
        // Grows on demand and never past the limit, so an oversize message fails fast instead of allocating.
        this.output = new Output(Math.min(1024, maxFrameBytes), maxFrameBytes);
    }

    /**
     * Returns the frame for {@code message}: a read-only buffer at position 0 whose limit and capacity are the
     * frame's size. Allocates nothing but the frame's array (and its wrappers).
     */
    public ByteBuffer encode(Message message) throws FrameTooLargeException {
        Objects.requireNonNull(message, "message");
        output.reset();
        output.setPosition(HEADER_BYTES); // the header goes in once the payload's size and CRC are known
        try {
            kryo.writeClassAndObject(output, message);
        } catch (KryoBufferOverflowException e) {
            output.reset();
            throw tooLarge(message);
        }
        int frameBytes = output.position();
        int payloadBytes = frameBytes - HEADER_BYTES;
        byte[] buffer = output.getBuffer();
        FrameFormat.writeHeader(buffer, payloadBytes, payloadCrc(buffer, payloadBytes));
        return ByteBuffer.wrap(Arrays.copyOf(buffer, frameBytes)).asReadOnlyBuffer();
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Encodes again without the limit to report the real size; an error path, for a message already in memory. */
    private FrameTooLargeException tooLarge(Message message) {
        var unbounded = new Output(maxFrameBytes, -1);
        unbounded.setPosition(HEADER_BYTES);
        kryo.writeClassAndObject(unbounded, message);
        int payloadBytes = unbounded.position() - HEADER_BYTES;
        byte[] buffer = unbounded.getBuffer();
        FrameFormat.writeHeader(buffer, payloadBytes, payloadCrc(buffer, payloadBytes));
        String head = FrameFormat.hexHead(ByteBuffer.wrap(buffer, 0, unbounded.position()), HEAD_HEX_BYTES);
        return new FrameTooLargeException((long) HEADER_BYTES + payloadBytes, maxFrameBytes, head);
    }

    private int payloadCrc(byte[] frame, int payloadBytes) {
        crc.reset();
        crc.update(frame, HEADER_BYTES, payloadBytes);
        return (int) crc.getValue();
    }
}
