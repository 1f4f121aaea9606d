package io.forkcast.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A minimal MQTT client on a plain JDK socket, written from the OASIS 3.1.1 and 5.0 specs for the tests: packets are
 * built byte by byte (so a test can get every bit wrong on purpose) and the server's packets read back whole. Just
 * enough to drive the server as a device would, and to see what it answers to a bad one.
 */
final class RawMqtt implements AutoCloseable {
    static final int V311 = 4;
    static final int V5 = 5;

    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** 4 or 5: how this client reads the server's packets. */
    final int version;

    /** One packet from the server: its type, the low four bits of its first byte, and its body. */
    @SuppressWarnings("ArrayRecordComponent") // read once, never compared
    record Packet(int type, int flags, byte[] body) {
        /** The 5.0 reason code of a DISCONNECT or CONNACK (3.1.1: the CONNACK return code); -1 when absent. */
        int reasonCode() {
            if (type == CONNACK) {
                return body[1] & 0xFF;
            }
            return body.length == 0 ? 0 : body[0] & 0xFF;
        }

        /** A PUBLISH's topic. */
        String topic() {
            int n = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
            return new String(body, 2, n, StandardCharsets.UTF_8);
        }

        int qos() {
            return (flags >> 1) & 3;
        }

        /** A PUBLISH's packet id (QoS 1 and 2) or an ack's. */
        int packetId() {
            int at = type == PUBLISH ? 2 + topic().getBytes(StandardCharsets.UTF_8).length : 0;
            return ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
        }

        /** A PUBLISH's payload as text, for a client of {@code version}. */
        String payload(int version) {
            int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length + (qos() > 0 ? 2 : 0);
            if (version == V5) {
                int[] length = varint(body, at);
                at = length[1] + length[0];
            }
            return new String(body, at, body.length - at, StandardCharsets.UTF_8);
        }

        /** The string value of 5.0 CONNACK property {@code id}, or null. */
        String connAckString(int id) {
            int[] length = varint(body, 2);
            int at = length[1];
            int end = at + length[0];
            while (at < end) {
                int property = body[at++] & 0xFF;
                switch (property) {
                    case 0x11, 0x27 -> at += 4;
                    case 0x13, 0x21, 0x22 -> at += 2;
                    case 0x24, 0x25, 0x28, 0x29, 0x2A -> at += 1;
                    case 0x12, 0x1A, 0x1C, 0x1F, 0x15 -> {
                        int n = ((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF);
                        if (property == id) {
                            return new String(body, at + 2, n, StandardCharsets.UTF_8);
                        }
                        at += 2 + n;
                    }
                    default -> fail("CONNACK property 0x" + Integer.toHexString(property) + " in " + this);
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return "type=" + type + " flags=" + flags + " body="
                    + HexFormat.of().formatHex(body);
        }
    }

    private RawMqtt(Socket socket, int version) throws IOException {
        this.socket = socket;
        this.version = version;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /** A TCP connection to the server's MQTT port, nothing sent yet. */
    static RawMqtt open(ForkcastServer server, int version) throws IOException {
        var socket = new Socket();
        socket.connect(new InetSocketAddress(server.host(), server.mqttPort()), 5000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        return new RawMqtt(socket, version);
    }

    /** A client on a socket the test connected itself (with its own buffer sizes). */
    static RawMqtt over(Socket socket, int version) throws IOException {
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        return new RawMqtt(socket, version);
    }

    /** Connected: CONNECT sent (clean, keep-alive off) and a CONNACK 0 read. */
    static RawMqtt connected(ForkcastServer server, int version, String clientId) throws IOException {
        var client = open(server, version);
        client.send(connect(version, clientId, true, 0));
        var ack = client.read();
        assertEquals(CONNACK, ack.type(), ack.toString());
        assertEquals(0, ack.reasonCode(), ack.toString());
        return client;
    }

    Socket socket() {
        return socket;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next packet from the server; fails when the connection ends or nothing comes within 20 s. */
    Packet read() throws IOException {
        var p = readOrEnd();
        if (p == null) {
            fail("the server closed the connection");
        }
        return p;
    }

    /** The next packet, or null when the server closed the connection (a reset counts as closed). */
    Packet readOrEnd() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketException e) {
            return null;
        }
        if (first < 0) {
            return null;
        }
        int length = 0;
        for (int i = 0; ; i++) {
            int b = in.readUnsignedByte();
            length |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                break;
            }
        }
        byte[] body = new byte[length];
        try {
            in.readFully(body);
        } catch (EOFException e) {
            fail("the server closed the connection inside a packet");
        }
        return new Packet(first >>> 4, first & 0x0F, body);
    }

    /** Reads to the end of the connection within {@code timeout}; returns the packets the server sent first. */
    List<Packet> awaitClosed(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        var seen = new ArrayList<Packet>();
        try {
            for (Packet p; (p = readOrEnd()) != null; ) {
                seen.add(p);
            }
        } catch (SocketTimeoutException e) {
            fail("the connection was still open after " + timeout.toMillis() + " ms; read " + seen);
        }
        return seen;
    }

    /**
     * Asserts the server closes the connection after at most one packet: on 5.0 a DISCONNECT with {@code reason5}
     * (when not -1), on 3.1.1 nothing at all.
     */
    void assertClosedWith(int reason5) throws IOException {
        var seen = awaitClosed(Duration.ofSeconds(10));
        if (version == V5 && reason5 >= 0) {
            assertEquals(1, seen.size(), seen.toString());
            assertEquals(DISCONNECT, seen.get(0).type(), seen.toString());
            assertEquals(
                    Integer.toHexString(reason5),
                    Integer.toHexString(seen.get(0).reasonCode()),
                    seen.toString());
        } else {
            assertTrue(seen.isEmpty(), seen.toString());
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a test's socket.
        }
    }

    // ---- Packets, byte by byte

    /** A packet: the first byte, the remaining length as a variable byte integer, the body. */
    static byte[] packet(int firstByte, byte[] body) {
        var b = new ByteArrayOutputStream();
        b.write(firstByte);
        int n = body.length;
        do {
            int digit = n % 128;
            n /= 128;
            b.write(n > 0 ? digit | 0x80 : digit);
        } while (n > 0);
        b.writeBytes(body);
        return b.toByteArray();
    }

    /** A body built from parts: Integers are single bytes, byte[]s are copied, Strings are MQTT UTF-8 strings. */
    static byte[] body(Object... parts) {
        var b = new ByteArrayOutputStream();
        for (Object part : parts) {
            switch (part) {
                case Integer i -> b.write(i);
                case byte[] bytes -> b.writeBytes(bytes);
                case String s -> b.writeBytes(string(s.getBytes(StandardCharsets.UTF_8)));
                default -> throw new IllegalArgumentException(part.toString());
            }
        }
        return b.toByteArray();
    }

    /** A two-byte length, then {@code bytes}: an MQTT string or binary field. */
    static byte[] string(byte[] bytes) {
        var b = new ByteArrayOutputStream();
        b.write(bytes.length >> 8);
        b.write(bytes.length & 0xFF);
        b.writeBytes(bytes);
        return b.toByteArray();
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    /** A CONNECT with {@code flags} as given (clean session is 0x02) and 5.0 properties {@code props} (no length). */
    static byte[] connect(int version, int flags, int keepAliveSeconds, byte[] props, String clientId) {
        return packet(
                0x10,
                body(
                        "MQTT",
                        version,
                        flags,
                        u16(keepAliveSeconds),
                        version == V5 ? properties(props) : new byte[0],
                        clientId));
    }

    static byte[] connect(int version, String clientId, boolean clean, int keepAliveSeconds) {
        return connect(version, clean ? 0x02 : 0, keepAliveSeconds, new byte[0], clientId);
    }

    /** 5.0 properties: their length, then them. */
    static byte[] properties(byte[] props) {
        byte[] framed = packet(0, props); // a first byte, then the length and the properties as a packet's
        return java.util.Arrays.copyOfRange(framed, 1, framed.length);
    }

    /** A PUBLISH of {@code payload} to {@code topic}: QoS 0 without a packet id, else with {@code packetId}. */
    byte[] publish(String topic, int qos, int packetId, String payload) {
        return packet(
                0x30 | (qos << 1),
                body(
                        topic,
                        qos > 0 ? u16(packetId) : new byte[0],
                        version == V5 ? new byte[] {0} : new byte[0],
                        payload.getBytes(StandardCharsets.UTF_8)));
    }

    /** A SUBSCRIBE of one filter at {@code qos}. */
    byte[] subscribe(int packetId, String filter, int qos) {
        return packet(0x82, body(u16(packetId), version == V5 ? new byte[] {0} : new byte[0], filter, qos));
    }

    /** Subscribes and waits for the SUBACK, which must grant {@code qos}. */
    void subscribed(int packetId, String filter, int qos) throws IOException {
        send(subscribe(packetId, filter, qos));
        var ack = read();
        assertEquals(SUBACK, ack.type(), ack.toString());
        assertEquals(qos, ack.body()[ack.body().length - 1], ack.toString());
    }

    /** PUBACK (0x40), PUBREC (0x50), PUBREL (0x62) or PUBCOMP (0x70) of {@code packetId}. */
    static byte[] ack(int firstByte, int packetId) {
        return packet(firstByte, u16(packetId));
    }

    static byte[] pingreq() {
        return new byte[] {(byte) 0xC0, 0};
    }

    static byte[] disconnect() {
        return new byte[] {(byte) 0xE0, 0};
    }

    /** Reads packets until one of {@code type} comes, answering nothing; the ones before it are dropped. */
    Packet readUntil(int type) throws IOException {
        while (true) {
            var p = read();
            if (p.type() == type) {
                return p;
            }
        }
    }

    private static int[] varint(byte[] bytes, int from) {
        int value = 0;
        int at = from;
        for (int i = 0; ; i++) {
            int b = bytes[at++] & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return new int[] {value, at};
            }
        }
    }
}
