package io.forkcast.supervisor.spawn;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Clients per source address, for clients_per_address_max: an IPv4 address counts alone, an IPv6 address by its
 * first ipv6_prefix_length bits (one /64 is one subscriber's network). Confined to the loop thread.
 */
public final class AddressCounts {
    /** Clients per address key; a key is dropped when its count reaches 0. */
    private final Map<String, Integer> byKey = new HashMap<>();
    /** The key each counted client was counted under, so that a change of prefix length cannot skew the counts. */
    private final Map<Long, String> keyOfClient = new HashMap<>();

    /** The address's key: the IPv4 address, or the IPv6 network of {@code ipv6PrefixBits} ("2001:db8:0:1::/64"). */
    public static String keyOf(InetAddress address, int ipv6PrefixBits) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        for (int bit = ipv6PrefixBits; bit < 128; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + ipv6PrefixBits;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    public int count(String key) {
        return byKey.getOrDefault(key, 0);
    }

    /** A client was admitted from {@code key}. */
    public void add(long clientId, String key) {
        if (keyOfClient.putIfAbsent(clientId, key) == null) {
            byKey.merge(key, 1, Integer::sum);
        }
    }

    /** A client is gone (its worker exited); unknown ids are ignored. */
    public void remove(long clientId) {
        String key = keyOfClient.remove(clientId);
        if (key != null) {
            byKey.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** How many addresses have clients now. */
    public int addresses() {
        return byKey.size();
    }
}
