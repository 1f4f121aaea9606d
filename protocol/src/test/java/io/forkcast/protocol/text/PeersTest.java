package io.forkcast.protocol.text;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class PeersTest {

    @Test
    void whatFormatWritesIsAPeer() {
        assertTrue(Peers.isPeer(Peers.format(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 50412))));
        assertTrue(Peers.isPeer(Peers.format(new InetSocketAddress(InetAddress.ofLiteral("::1"), 4444))));
        assertTrue(Peers.isPeer("[2001:db8::5]:0"));
        assertTrue(Peers.isPeer("10.0.0.1:65535"));
    }

    @Test
    void anythingElseIsNot() {
        for (String bad : new String[] {
            null,
            "",
            ":1",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:65536",
            "127.0.0.1:123456",
            "127.0.0.1:-1",
            "localhost:4444",
            "::1:4444",
            "[127.0.0.1]:4444",
            "[::1]x:4444",
            "256.1.1.1:80",
            "1.2.3.4:8a",
            "ann (4121) joined:1",
            "1.2.3.4.5:80",
            "[::1]:4444\r\n",
        }) {
            assertFalse(Peers.isPeer(bad), bad);
        }
    }
}
