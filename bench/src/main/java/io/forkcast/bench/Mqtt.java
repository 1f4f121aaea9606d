package io.forkcast.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The least of an MQTT 3.1.1 client that a load test needs (OASIS MQTT 3.1.1, sections 2 and 3): CONNECT with
 * a clean session and no keep-alive, SUBSCRIBE at QoS 0 or 1, PUBLISH at QoS 0 or 1, PUBACK, and reading one packet
 * at a time. No retries, no QoS 2, no will, no ping: a broker that would need them fails the run. Writes from one
 * thread and reads from one thread (they may differ).
 */
final class Mqtt implements AutoCloseable {
    static final int PUBLISH = 3;
    static final int PUBACK = 4;

    /** One packet read: its type (the high nibble), its flags (the low nibble) and its body. */
    static final class Packet {
        private final int type;
        private final int flags;
        private final byte[] body;

        Packet(int type, int flags, byte[] body) {
            this.type = type;
            this.flags = flags;
            this.body = body;
        }

        int type() {
            return type;
        }

        int flags() {
            return flags;
        }

        /** The packet's own array: read only. */
        byte[] body() {
            return body;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextId;

    private Mqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Connects and waits for a CONNACK that accepts. */
    static Mqtt connect(String host, int port, String clientId) throws IOException {
        var socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        var mqtt = new Mqtt(socket);
        try {
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            var body = new java.io.ByteArrayOutputStream();
            body.write(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0}); // level 4, clean session, keep-alive 0
            body.write(id.length >> 8);
            body.write(id.length);
            body.write(id);
            mqtt.packet(0x10, body.toByteArray());
            var ack = mqtt.read();
            if (ack.type() != 2 || ack.body().length < 2 || ack.body()[1] != 0) {
                throw new IOException("CONNACK refused or missing: type " + ack.type());
            }
            return mqtt;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Subscribes to {@code topic} at QoS 1 and waits for the SUBACK granting it. */
    void subscribe(String topic) throws IOException {
        subscribe(topic, 1);
    }

    /** Subscribes to {@code topic} at {@code qos} (0 or 1) and waits for the SUBACK granting it. */
    void subscribe(String topic, int qos) throws IOException {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[2 + 2 + t.length + 1];
        body[1] = 1; // packet id 1
        body[2] = (byte) (t.length >> 8);
        body[3] = (byte) t.length;
        System.arraycopy(t, 0, body, 4, t.length);
        body[body.length - 1] = (byte) qos;
        packet(0x82, body);
        var ack = read();
        if (ack.type() != 9 || ack.body().length < 3 || ack.body()[2] != qos) {
            throw new IOException("SUBACK missing or not QoS " + qos + ": type " + ack.type());
        }
    }

    /** Writes a QoS 1 PUBLISH of {@code payload} to {@code topic}, with the next packet id (1..65535). */
    void publish(byte[] topic, byte[] payload) throws IOException {
        publish(topic, payload, 1);
    }

    /** Writes a PUBLISH at {@code qos} (0, or 1 with the next packet id, 1..65535). */
    void publish(byte[] topic, byte[] payload, int qos) throws IOException {
        int length = 2 + topic.length + (qos > 0 ? 2 : 0) + payload.length;
        header(0x30 | (qos << 1), length);
        out.write(topic.length >> 8);
        out.write(topic.length);
        out.write(topic);
        if (qos > 0) {
            nextId = nextId % 65535 + 1;
            out.write(nextId >> 8);
            out.write(nextId);
        }
        out.write(payload);
        out.flush();
    }

    /** Acknowledges a QoS 1 PUBLISH received, by its packet id. */
    void puback(int packetId) throws IOException {
        out.write(new byte[] {0x40, 2, (byte) (packetId >> 8), (byte) packetId});
        out.flush();
    }

    /** Reads the next packet; blocks. */
    Packet read() throws IOException {
        int first = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 28);
        byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first >> 4, first & 0x0f, body);
    }

    private void packet(int first, byte[] body) throws IOException {
        header(first, body.length);
        out.write(body);
        out.flush();
    }

    /** The fixed header: the first byte and the remaining length as MQTT's base-128 varint. */
    private void header(int first, int length) throws IOException {
        out.write(first);
        do {
            int digit = length & 0x7f;
            length >>>= 7;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    /** The local port of the connection: the server logs the client as 127.0.0.1:PORT. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** A read that waits longer than {@code millis} fails (0: forever). */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
