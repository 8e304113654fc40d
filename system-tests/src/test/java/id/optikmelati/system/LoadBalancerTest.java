package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.TestShop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Screens and sales through Debian's nginx with infra/nginx's configuration: one realtime node
 * behind it stops, and every screen recovers through the balancer with no gap and no duplicate.
 */
class LoadBalancerTest {

    static ShopCluster cluster;
    static Nginx nginx;

    @BeforeAll
    static void start() throws Exception {
        cluster = ShopCluster.start(2);
        nginx = Nginx.start(List.of(cluster.api.port()), cluster.realtime.stream().map(NodeProcess::port).toList());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyScreenRecoversThroughTheBalancerWhenARealtimeNodeStops() throws Exception {
        ApiClient shop = new ApiClient(nginx.url(""));
        String kasir1 = shop.login("kasir1", "melati-demo");
        String kasir2 = shop.login("kasir2", "melati-demo");
        List<String> tokens = List.of(kasir1, kasir2, shop.login("superadmin", "melati-demo"));
        long frame1 = TestShop.product(1, 100_000, "Frame Uji Balancer").id();
        long frame2 = TestShop.product(2, 100_000, "Frame Uji Balancer 2").id();

        ScreenLedger ledger = new ScreenLedger(false);
        int count = 300;
        try (SseSwarm swarm = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", nginx.port)),
                "/realtime/dashboard", true, ledger)) {
            swarm.open(count, i -> tokens.get(i % 3), null);
            await().atMost(Duration.ofSeconds(30)).until(() -> swarm.liveCount() == count);

            AtomicBoolean selling = new AtomicBoolean(true);
            AtomicInteger sold = new AtomicInteger();
            Thread cashiers = new Thread(() -> {
                for (int i = 0; selling.get(); i++) {
                    var r = shop.sell(i % 2 == 0 ? kasir1 : kasir2, Map.of("paymentType", "UMUM",
                            "items", List.of(Map.of("productId", i % 2 == 0 ? frame1 : frame2, "quantity", 1))));
                    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
                    sold.incrementAndGet();
                    FaultTest.sleep(50);
                }
            });
            cashiers.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> sold.get() >= 10);
            NodeProcess stopped = cluster.realtime.get(0);
            stopped.stop(); // SIGTERM: its screens are told to reconnect, and land on the other node
            await().atMost(Duration.ofSeconds(20)).until(() -> sold.get() >= 40);
            await().atMost(Duration.ofSeconds(30)).until(() -> swarm.liveCount() == count);
            selling.set(false);
            cashiers.join();

            ledger.awaitCaughtUp(count, ScreenLedger::kasirKasirSuperadmin,
                    Map.of(1L, TestShop.branchSeq(1), 2L, TestShop.branchSeq(2)), Duration.ofSeconds(30));
            assertThat(ledger.violations).isEmpty();
            assertThat(swarm.clients().stream().filter(c -> c.connects() > 1).count())
                    .as("screens that went through a reconnect").isPositive();
            for (int i = 0; i < count; i++) {
                assertThat(ledger.screen(i).resets).isZero();
            }
            stopped.start();
        }
    }
}
