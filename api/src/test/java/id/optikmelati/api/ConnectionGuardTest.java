package id.optikmelati.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
        List<Socket> idle = new ArrayList<>();
        List<Socket> slowloris = new ArrayList<>();
        var trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 100; i++) {
                idle.add(new Socket("127.0.0.1", port));
                Socket s = new Socket("127.0.0.1", port);
                s.getOutputStream().write("GET /api/products HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slowloris.add(s);
            }
            // a header byte every half second on each: Tomcat's own read timeout would never fire
            trickle.scheduleAtFixedRate(() -> slowloris.forEach(s -> {
                try {
                    s.getOutputStream().write('a');
                } catch (IOException closed) {
                    // closed by the API: what this test waits for
                }
            }), 0, 500, TimeUnit.MILLISECONDS);

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

            List<Socket> all = new ArrayList<>(idle);
            all.addAll(slowloris);
            for (Socket s : all) {
                s.setSoTimeout(6_000); // the header timeout and a margin, counted from now: a bound, not a wait
                assertThat(closedWithoutAnswer(s)).isTrue();
            }
            assertThat(meters.counter("optik.api.sockets.closed", "reason", "header-timeout").count())
                    .isGreaterThanOrEqualTo(100);
            assertThat(meters.counter("optik.api.sockets.closed", "reason", "address-limit").count())
                    .isGreaterThanOrEqualTo(5);
            // with them gone the address has room again
            await().atMost(Duration.ofSeconds(5)).until(() -> api().get("/api/products?limit=1", token).status() == 200);
        } finally {
            trickle.shutdownNow();
            for (Socket s : idle) {
                s.close();
            }
            for (Socket s : slowloris) {
                s.close();
            }
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

    /** Whether the server closed the socket (a reset, for one whose bytes it left unread) having sent nothing. */
    private static boolean closedWithoutAnswer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }
}
