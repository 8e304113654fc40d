package id.optikmelati.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConnectionsPerAddressTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void anAddressGetsItsCapAndAClosedConnectionFreesOne() throws Exception {
        var cap = new ConnectionsPerAddress(2, Set.of());
        assertThat(cap.tryOpen(ip("10.0.0.1"))).isTrue();
        assertThat(cap.tryOpen(ip("10.0.0.1"))).isTrue();
        assertThat(cap.tryOpen(ip("10.0.0.1"))).isFalse();
        assertThat(cap.tryOpen(ip("10.0.0.2"))).as("another address has its own").isTrue();
        assertThat(cap.openFrom(ip("10.0.0.1"))).as("a refused one is not counted").isEqualTo(2);
        cap.closed(ip("10.0.0.1"));
        assertThat(cap.tryOpen(ip("10.0.0.1"))).isTrue();
    }

    @Test
    void anAddressWithNothingOpenIsForgotten() throws Exception {
        var cap = new ConnectionsPerAddress(5, Set.of());
        cap.tryOpen(ip("10.0.0.1"));
        cap.closed(ip("10.0.0.1"));
        cap.closed(ip("10.0.0.1"));
        assertThat(cap.addresses()).isZero();
        assertThat(cap.openFrom(ip("10.0.0.1"))).isZero();
    }

    @Test
    void theLoadBalancersAddressesAndACapOfZeroAreUnlimited() throws Exception {
        var cap = new ConnectionsPerAddress(1, Set.of("127.0.0.1"));
        for (int i = 0; i < 10; i++) {
            assertThat(cap.tryOpen(ip("127.0.0.1"))).isTrue();
        }
        assertThat(cap.addresses()).isZero();
        var none = new ConnectionsPerAddress(0, Set.of());
        assertThat(none.tryOpen(ip("10.0.0.1"))).isTrue();
        assertThat(none.tryOpen(ip("10.0.0.1"))).isTrue();
    }
}
