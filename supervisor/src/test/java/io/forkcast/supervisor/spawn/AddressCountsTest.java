package io.forkcast.supervisor.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressCountsTest {
    private static String key(String address, int bits) throws Exception {
        return AddressCounts.keyOf(InetAddress.getByName(address), bits);
    }

    @Test
    void anIpv6AddressCountsByItsNetworkOfThePrefixLength() throws Exception {
        assertEquals("2001:db8:0:1:0:0:0:0/64", key("2001:db8:0:1::1", 64));
        assertEquals(key("2001:db8:0:1::1", 64), key("2001:db8:0:1:ffff:ffff:ffff:fffe", 64));
        assertNotEquals(key("2001:db8:0:1::1", 64), key("2001:db8:0:2::1", 64));
        assertEquals(key("2001:db8:0:1::1", 48), key("2001:db8:0:2::1", 48));
        assertNotEquals(key("2001:db8::1", 128), key("2001:db8::2", 128));
        assertEquals("2001:db8:0:0:0:0:0:0/33", key("2001:db8:7fff::1", 33));
    }

    @Test
    void anIpv4AddressCountsAloneAndAMappedOneAsIpv4() throws Exception {
        assertEquals("192.0.2.7", key("192.0.2.7", 64));
        assertNotEquals(key("192.0.2.7", 64), key("192.0.2.8", 64));
        assertEquals("192.0.2.7", key("::ffff:192.0.2.7", 64));
    }

    @Test
    void countsFollowClientsInAndOutUnderTheKeyTheyCameWith() {
        var counts = new AddressCounts();
        counts.add(1, "a");
        counts.add(2, "a");
        counts.add(2, "a");
        counts.add(3, "b");
        assertEquals(2, counts.count("a"));
        counts.remove(1);
        counts.remove(1);
        counts.remove(99);
        assertEquals(1, counts.count("a"));
        counts.remove(2);
        counts.remove(3);
        assertEquals(0, counts.count("a"));
        assertEquals(0, counts.addresses());
    }
}
