/**
 * Frames on a hub link: the byte stream between the supervisor and one worker, in both directions.
 *
 * <p>Every frame is a 12-byte big-endian header followed by its payload:
 *
 * <pre>
 *   0        1        2        3        4        5        6        7        8        9        10       11
 * +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 * |  0x46  |  0x43  |version | flags  |          payload length           |        CRC-32C of payload         |
 * |  'F'   |  'C'   |  = 1   |  = 0   |    unsigned, payload bytes only   |   java.util.zip.CRC32C, as int    |
 * +--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+--------+
 * |  payload: one object written by Kryo.writeClassAndObject with KryoRegistry's Kryo: the class id as a      |
 * |  varint of (id + 2), then the record's components, sorted by component name  ...  (payload length bytes) |
 * +-----------------------------------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>Flags are reserved and must be 0. A frame's total size, header included, is at most {@code maxFrameBytes}
 * ({@link io.forkcast.protocol.frame.FrameFormat#DEFAULT_MAX_FRAME_BYTES} unless configured). The decoder checks
 * the header, the length limit included, before it allocates the payload, and checks the CRC before Kryo reads a
 * byte of it. Kryo orders a record's components by name, so renaming a component changes the wire format.
 */
package io.forkcast.protocol.frame;
