package dev.voxgate.server.guard;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.List;

/**
 * Which address a request comes from. The socket's peer, unless the peer is one of {@code TRUSTED_PROXIES}: then
 * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the first address that is not one is
 * the client. Anything left of it was written by the client and is not believed; a peer that is not trusted can
 * forge the header as it likes, so it is ignored.
 */
final class ClientAddresses {
    private final List<IPAddress> trusted;

    ClientAddresses(List<IPAddress> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * @param peer           the socket peer's address
     * @param forwardedFor   every {@code X-Forwarded-For} header value, in order (may be empty)
     */
    String clientOf(String peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || !contains(trusted, peer)) return peer;
        String client = peer;
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] hops = forwardedFor.get(h).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                IPAddress hop = parse(hops[i].strip());
                if (hop == null) return client; // a garbled hop: stop at the last address we could vouch for
                client = hop.toCanonicalString();
                if (!within(trusted, hop)) return client;
            }
        }
        return client;
    }

    /** Whether {@code ip} is inside one of {@code ranges}; false for anything that is not an IP address. */
    static boolean contains(List<IPAddress> ranges, String ip) {
        IPAddress a = parse(ip);
        return a != null && within(ranges, a);
    }

    private static boolean within(List<IPAddress> ranges, IPAddress a) {
        IPAddress plain = a.isIPv4Convertible() && a.isIPv6() ? a.toIPv4() : a;
        for (IPAddress r : ranges) {
            if (r.contains(plain) || r.contains(a)) return true;
        }
        return false;
    }

    private static IPAddress parse(String ip) {
        if (ip == null || ip.isEmpty() || ip.length() > 64) return null;
        // X-Forwarded-For may carry "[v6]:port" or "v4:port" from some proxies; the port is not part of who.
        String s = ip;
        if (s.startsWith("[") && s.indexOf(']') > 0) s = s.substring(1, s.indexOf(']'));
        else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':')) s = s.substring(0, s.indexOf(':'));
        IPAddress a = new IPAddressString(s).getAddress();
        return a != null && !a.isPrefixed() ? a : null;
    }
}
