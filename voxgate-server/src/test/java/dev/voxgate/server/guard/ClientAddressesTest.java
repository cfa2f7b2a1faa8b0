package dev.voxgate.server.guard;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTest {
    private static List<IPAddress> cidrs(String... s) {
        return Arrays.stream(s).map(c -> new IPAddressString(c).getAddress().toPrefixBlock()).toList();
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        ClientAddresses a = new ClientAddresses(cidrs("10.0.0.0/8"));
        assertThat(a.clientOf("203.0.113.9", List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
        assertThat(new ClientAddresses(List.of()).clientOf("127.0.0.1", List.of("1.2.3.4"))).isEqualTo("127.0.0.1");
    }

    @Test
    void aTrustedProxyIsBelievedUpToTheFirstUntrustedHop() {
        ClientAddresses a = new ClientAddresses(cidrs("10.0.0.0/8", "127.0.0.1"));
        assertThat(a.clientOf("127.0.0.1", List.of("198.51.100.7"))).isEqualTo("198.51.100.7");
        // The client forged "6.6.6.6" in front; the proxy appended the real address; the inner proxy appended its own.
        assertThat(a.clientOf("127.0.0.1", List.of("6.6.6.6, 198.51.100.7", "10.1.2.3"))).isEqualTo("198.51.100.7");
        assertThat(a.clientOf("10.0.0.5", List.of("10.0.0.6"))).as("all trusted").isEqualTo("10.0.0.6");
        assertThat(a.clientOf("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
    }

    @Test
    void garbledHopsStopAtTheLastAddressVouchedFor() {
        ClientAddresses a = new ClientAddresses(cidrs("127.0.0.1"));
        assertThat(a.clientOf("127.0.0.1", List.of("<script>"))).isEqualTo("127.0.0.1");
        assertThat(a.clientOf("127.0.0.1", List.of("1.2.3.4, 10.0.0.0/8"))).isEqualTo("127.0.0.1");
        assertThat(a.clientOf("127.0.0.1", List.of("[2001:db8::1]:443"))).isEqualTo("2001:db8::1");
        assertThat(a.clientOf("127.0.0.1", List.of("192.0.2.1:5000"))).isEqualTo("192.0.2.1");
    }

    @Test
    void rangesMatchMappedAddressesToo() {
        assertThat(ClientAddresses.contains(cidrs("192.0.2.0/24"), "::ffff:192.0.2.9")).isTrue();
        assertThat(ClientAddresses.contains(cidrs("192.0.2.0/24"), "192.0.3.1")).isFalse();
        assertThat(ClientAddresses.contains(cidrs("::1"), "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(ClientAddresses.contains(cidrs("0.0.0.0/0"), "not-an-ip")).isFalse();
    }
}
