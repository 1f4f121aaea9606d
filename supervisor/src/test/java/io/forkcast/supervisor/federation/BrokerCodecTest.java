package io.forkcast.supervisor.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A broker message between nodes: the documented format, its data carried exactly, refused payloads, subjects. */
class BrokerCodecTest {
    @Test
    void aMessageIsTheDocumentedJsonAndComesBackWithItsDataExactly() throws Exception {
        String data = "{\"to\":\"+62812\",\"text\":\"kode \\\"1\\\"\\r\\n\"}";
        byte[] payload = BrokerCodec.encode("a", 1764680000000L, 42, "sms", data);
        assertEquals(
                "{\"v\":1,\"k\":\"broker\",\"node\":\"a\",\"inc\":1764680000000,\"n\":42,\"channel\":\"sms\",\"data\":"
                        + "\"{\\\"to\\\":\\\"+62812\\\",\\\"text\\\":\\\"kode \\\\\\\"1\\\\\\\"\\\\r\\\\n\\\"}\"}",
                new String(payload, StandardCharsets.UTF_8));
        assertEquals(new BrokerCodec.Envelope("a", 1764680000000L, 42, "sms", data), BrokerCodec.decode(payload));
    }

    @Test
    void aPayloadThatIsNotABrokerMessageOfVersionOneIsRefused() {
        for (String bad : new String[] {
            "hello",
            "[1]",
            "{\"v\":2,\"k\":\"broker\",\"node\":\"a\",\"inc\":1,\"n\":1,\"channel\":\"sms\",\"data\":\"1\"}",
            "{\"v\":1,\"k\":\"say\",\"node\":\"a\",\"inc\":1,\"n\":1,\"channel\":\"sms\",\"data\":\"1\"}",
            "{\"v\":1,\"k\":\"broker\",\"node\":\"a\",\"inc\":1,\"n\":1,\"channel\":\"sms\",\"data\":1}",
        }) {
            assertThrows(
                    FederationCodec.BadMessage.class,
                    () -> BrokerCodec.decode(bad.getBytes(StandardCharsets.UTF_8)),
                    bad);
        }
        assertThrows(
                FederationCodec.BadMessage.class,
                () -> BrokerCodec.decode(new byte[FederationCodec.MAX_PAYLOAD_BYTES + 1]));
    }

    @Test
    void aChannelIsOneSubjectTokenOnTwoSubjectsAndAQueueGroup() {
        assertEquals("forkcast.broker.sms~otp.all", NatsBroker.fanOut("sms.otp"));
        assertEquals("forkcast.broker.sms~otp.one", NatsBroker.queued("sms.otp"));
        assertEquals("forkcast-broker-sms~otp", NatsBroker.queueGroup("sms.otp"));
    }
}
