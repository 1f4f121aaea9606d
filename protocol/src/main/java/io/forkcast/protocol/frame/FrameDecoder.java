package io.forkcast.protocol.frame;

import static io.forkcast.protocol.frame.FrameFormat.HEADER_BYTES;
import static io.forkcast.protocol.frame.FrameFormat.HEAD_HEX_BYTES;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import io.forkcast.protocol.kryo.KryoRegistry;
import io.forkcast.protocol.message.Message;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Turns a byte stream, split anywhere, back into Messages. Checks each header before allocating its payload and
 * each payload's CRC before Kryo reads it. After its first ProtocolException the decoder is poisoned: the link
 * must be closed. Not thread-safe: confined to the thread that reads its link.
 */
public final class FrameDecoder {
    private static final byte[] NO_BYTES = {};

    private final int maxFrameBytes;
    private final Kryo kryo = KryoRegistry.newKryo();
    private final Input input = new Input(NO_BYTES);
    private final CRC32C crc = new CRC32C();
    private final byte[] header = new byte[HEADER_BYTES];
    private int headerFilled;
    private byte[] payload; // null until the current frame's header has been read and checked
    private int payloadFilled;
    private ProtocolException failure;

    public FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = FrameFormat.checkMaxFrameBytes(maxFrameBytes);
        LengthCheckedSerializer.install(kryo);
    }

    /**
     * Consumes every remaining byte of {@code in}, handing each Message it completes to {@code out}, in order.
     *
     * @throws ProtocolException the stream is broken; this decoder then refuses further input
     * @throws IllegalStateException an earlier call threw a ProtocolException
     */
    public void feed(ByteBuffer in, Consumer<? super Message> out) throws ProtocolException {
        if (failure != null) {
            throw new IllegalStateException(
                    "decoder already failed: reason=" + failure.reason() + " " + failure.getMessage());
        }
        try {
            while (in.hasRemaining()) {
                if (payload == null) {
                    int n = Math.min(in.remaining(), HEADER_BYTES - headerFilled);
                    in.get(header, headerFilled, n);
                    headerFilled += n;
                    if (headerFilled < HEADER_BYTES) {
                        return;
                    }
                    payload = new byte[checkHeader()];
                } else {
                    int n = Math.min(in.remaining(), payload.length - payloadFilled);
                    in.get(payload, payloadFilled, n);
                    payloadFilled += n;
                }
                if (payloadFilled == payload.length) {
                    var message = decodePayload();
                    headerFilled = 0;
                    payload = null;
                    payloadFilled = 0;
                    out.accept(message);
                }
            }
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /** Bytes held of a frame not yet complete, header included. */
    public int bufferedBytes() {
        return headerFilled + payloadFilled;
    }

    /** Returns the payload length once magic, version, flags and the size limit have passed. */
    private int checkHeader() throws ProtocolException {
        if (header[0] != FrameFormat.MAGIC_0 || header[1] != FrameFormat.MAGIC_1) {
            throw new BadHeaderException(
                    "bad_magic",
                    "magic %02x%02x, expected %02x%02x"
                            .formatted(header[0], header[1], FrameFormat.MAGIC_0, FrameFormat.MAGIC_1),
                    head());
        }
        if (header[2] != FrameFormat.VERSION) {
            throw new BadHeaderException(
                    "bad_version",
                    "version " + (header[2] & 0xff) + " unsupported, expected " + FrameFormat.VERSION,
                    head());
        }
        if (header[3] != 0) {
            throw new BadHeaderException(
                    "bad_flags", "flags %02x set, all are reserved and must be 0".formatted(header[3]), head());
        }
        long frameBytes = HEADER_BYTES + Integer.toUnsignedLong(FrameFormat.getInt(header, 4));
        if (frameBytes > maxFrameBytes) {
            throw new FrameTooLargeException(frameBytes, maxFrameBytes, head());
        }
        return (int) frameBytes - HEADER_BYTES;
    }

    private Message decodePayload() throws ProtocolException {
        crc.reset();
        crc.update(payload, 0, payload.length);
        int headerCrc = FrameFormat.getInt(header, 8);
        if ((int) crc.getValue() != headerCrc) {
            throw new ChecksumMismatchException(headerCrc, (int) crc.getValue(), payload.length, head());
        }
        input.setBuffer(payload);
        try {
            checkClassIsMessage();
            input.setPosition(0);
            Object object = kryo.readClassAndObject(input);
            if (input.position() != payload.length) {
                throw new CorruptPayloadException(
                        (payload.length - input.position()) + " bytes left after "
                                + object.getClass().getSimpleName() + " in a " + payload.length + "-byte payload",
                        head(),
                        null);
            }
            return (Message) object;
        } catch (RuntimeException e) { // Kryo fails on garbage in many ways: underflow, bad lengths, bad values
            throw new CorruptPayloadException(
                    "Kryo could not read the " + payload.length + "-byte payload: " + firstLine(e), head(), e);
        } finally {
            input.setBuffer(NO_BYTES); // let the payload go
        }
    }

    /** Reads the leading class id (Kryo writes id + 2; 0 is null, 1 a class by name) before Kryo builds anything. */
    private void checkClassIsMessage() throws UnknownMessageException {
        int written = input.readVarInt(true);
        if (written == 0 || written == 1) {
            throw new UnknownMessageException(
                    written == 0 ? "payload holds null, not a Message" : "payload names a class by name", head());
        }
        var registration = kryo.getRegistration(written - 2);
        if (registration == null) {
            throw new UnknownMessageException("unregistered class id " + (written - 2), head());
        }
        if (!Message.class.isAssignableFrom(registration.getType())) {
            throw new UnknownMessageException(
                    "class id " + (written - 2) + " (" + registration.getType().getSimpleName() + ") is not a Message",
                    head());
        }
    }

    /** The current frame's first bytes as hex: the header and as much payload as has arrived. */
    private String head() {
        int fromPayload = payload == null ? 0 : Math.min(payloadFilled, HEAD_HEX_BYTES - HEADER_BYTES);
        var seen = ByteBuffer.allocate(headerFilled + fromPayload).put(header, 0, headerFilled);
        if (fromPayload > 0) {
            seen.put(payload, 0, fromPayload);
        }
        return FrameFormat.hexHead(seen.flip(), HEAD_HEX_BYTES);
    }

    private static String firstLine(RuntimeException e) {
        String message = e.getMessage();
        return message == null
                ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse("");
    }
}
