package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.testkit.RawSockets;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Idle and slowloris sockets on the API are closed, an address over its cap is refused, and real clients stay fast. */
@TestPropertySource(properties = {"optik.connections.header-timeout=2s", "optik.connections.per-address=210",
        "optik.connections.unlimited-addresses="})
class ConnectionGuardTest extends ApiTestBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void idleAndSlowSocketsAreClosedAnAddressOverItsCapIsRefusedAndRealClientsStayFast() throws Exception {
        String token = token("kasir1"); // before the sockets: its connection is one of the address's
        // a header byte every half second on each slow one: Tomcat's own read timeout would never fire
        try (var attacker = new RawSockets.SlowClients(port, "/api/products", 100, 100)) {
            // the cap: 210 per address, 200 held here and the client's own; more get a 429 at once
            List<Socket> extras = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                extras.add(new Socket("127.0.0.1", port));
            }
            int refused = 0;
            for (Socket extra : extras) {
                extra.setSoTimeout(200);
                if (readSome(extra).startsWith("HTTP/1.1 429")) {
                    refused++;
                }
                extra.close();
            }
            assertThat(refused).isGreaterThanOrEqualTo(5);

            long asked = System.nanoTime();
            var products = api().get("/api/products?limit=5", token);
            assertThat(products.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));

            for (Socket s : attacker.sockets()) {
                s.setSoTimeout(6_000); // the header timeout and a margin, counted from now: a bound, not a wait
                assertThat(RawSockets.closedWithoutAnswer(s)).isTrue();
            }
            assertThat(meters.counter("optik.api.sockets.closed", "reason", "header-timeout").count())
                    .isGreaterThanOrEqualTo(100);
            assertThat(meters.counter("optik.api.sockets.closed", "reason", "address-limit").count())
                    .isGreaterThanOrEqualTo(5);
            // with them gone the address has room again
            await().atMost(Duration.ofSeconds(5)).until(() -> api().get("/api/products?limit=1", token).status() == 200);
        }
    }

    private static String readSome(Socket socket) {
        byte[] buf = new byte[64];
        try {
            int n = socket.getInputStream().read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException timeoutOrReset) {
            return "";
        }
    }
}
