package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;

import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.PostgresServer;
import id.optikmelati.testkit.RedisProcess;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** End to end: a sale POST to its event on the screens, through the real API on PostgreSQL; then the API's sales per second. */
final class EndToEnd {

    private EndToEnd() {}

    static void run() throws Exception {
        Path data = Files.createTempDirectory("optik-bench-pg-");
        try (PostgresServer postgres = PostgresServer.start(0, data); RedisProcess redis = RedisProcess.start(0)) {
            int rtPort = FreePorts.find();
            NodeProcess api = startNode("api", "id.optikmelati.api.ApiApplication", FreePorts.find(),
                    List.of("-XX:+UseSerialGC", "-Xmx1g"), List.of(
                            "--spring.profiles.active=demo", "--spring.datasource.url=" + postgres.jdbcUrl(),
                            "--spring.datasource.username=postgres", "--optik.redis.url=" + redis.uri(),
                            "--optik.auth.jwt-secret=" + SECRET, "--optik.auth.login-attempts-per-ip-per-minute=100000",
                            "--logging.level.root=warn"));
            NodeProcess node = startNode("realtime-node", "id.optikmelati.realtime.RealtimeApplication", rtPort,
                    List.of("-XX:+UseSerialGC", "-Xmx1g"), List.of("--spring.profiles.active=demo",
                            "--optik.realtime.redis-url=" + redis.uri(), "--optik.realtime.jwt-secret=" + SECRET,
                            "--optik.realtime.connections-per-user=100000", "--logging.level.root=warn"));
            try {
                ApiClient shop = new ApiClient("http://127.0.0.1:" + api.port());
                List<String> kasir = List.of(shop.login("kasir1", "melati-demo"), shop.login("kasir2", "melati-demo"),
                        shop.login("kasir3", "melati-demo"));
                long[] products = new long[3];
                for (int b = 0; b < 3; b++) {
                    var list = shop.get("/api/products?type=FRAME", kasir.get(b)).body();
                    long best = -1;
                    int most = -1;
                    for (var p : list) {
                        if (p.get("stock").asInt() > most) {
                            most = p.get("stock").asInt();
                            best = p.get("id").asLong();
                        }
                    }
                    products[b] = best;
                    // plenty of stock for the run
                    shop.post("/api/products/" + best + "/stock-adjustments", shop.login("superadmin", "melati-demo"),
                            Map.of("branchId", b + 1, "delta", 100_000, "reason", "benchmark"));
                }
                Map<String, Long> postedAt = new ConcurrentHashMap<>();
                Histogram saleToScreen = new ConcurrentHistogram(3_600_000_000L, 3);
                SseSwarm.Listener screens = (c, id, event, body) -> {
                    if (!event.equals("sale")) {
                        return;
                    }
                    int at = body.indexOf("\"customerName\":\"");
                    if (at < 0) {
                        return;
                    }
                    String key = body.substring(at + 16, body.indexOf('"', at + 16));
                    Long t0 = postedAt.get(key);
                    if (t0 != null) {
                        saleToScreen.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
                    }
                };
                try (SseSwarm swarm = new SseSwarm(List.of(new InetSocketAddress("127.0.0.1", rtPort)),
                        "/realtime/dashboard", false, screens)) {
                    swarm.open(30, i -> kasir.get(i % 3), null); // ten screens per branch
                    await("screens", 30, () -> swarm.liveCount() == 30);
                    Histogram post = new ConcurrentHistogram(3_600_000_000L, 3);
                    ExecutorService cashiers = Executors.newFixedThreadPool(8);
                    int rate = 50;
                    AtomicLong failed = new AtomicLong();
                    // warm-up (JIT, pools): 10 s of the same load, not measured
                    long warm = rate * 10L;
                    long warmStart = System.nanoTime();
                    for (long i = 0; i < warm; i++) {
                        long wait = warmStart + i * 1_000_000_000L / rate - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        int b = (int) (i % 3);
                        cashiers.execute(() -> shop.sell(kasir.get(b), Map.of("paymentType", "UMUM",
                                "items", List.of(Map.of("productId", products[b], "quantity", 1)))));
                    }
                    sleep(2000);
                    long n = (long) rate * SECONDS;
                    long start = System.nanoTime();
                    for (long i = 0; i < n; i++) {
                        long due = start + i * 1_000_000_000L / rate;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        int b = (int) (i % 3);
                        String key = "bench-" + i;
                        cashiers.execute(() -> {
                            long t0 = System.nanoTime();
                            postedAt.put(key, t0);
                            var r = shop.sell(kasir.get(b), Map.of("paymentType", "UMUM", "customerName", key,
                                    "items", List.of(Map.of("productId", products[b], "quantity", 1))));
                            post.recordValue((System.nanoTime() - t0) / 1000);
                            if (r.status() != 201) {
                                failed.incrementAndGet();
                            }
                        });
                    }
                    cashiers.shutdown();
                    cashiers.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
                    sleep(2000);
                    line(ordered("scenario", "e2e-sale-to-screen", "sales_per_s", rate, "seconds", SECONDS,
                            "screens", 30, "failed_sales", failed.get(),
                            "deliveries_received", saleToScreen.getTotalCount(), "deliveries_expected", n * 10,
                            "sale_to_screen_p50_ms", saleToScreen.getValueAtPercentile(50) / 1000.0,
                            "sale_to_screen_p99_ms", saleToScreen.getValueAtPercentile(99) / 1000.0,
                            "sale_to_screen_max_ms", saleToScreen.getMaxValue() / 1000.0,
                            "post_p50_ms", post.getValueAtPercentile(50) / 1000.0,
                            "post_p99_ms", post.getValueAtPercentile(99) / 1000.0));
                }
                // closed loop: how many sales a second the API sustains on PostgreSQL
                Histogram closed = new ConcurrentHistogram(3_600_000_000L, 3);
                AtomicLong done = new AtomicLong();
                long until = System.nanoTime() + SECONDS * 1_000_000_000L;
                ExecutorService loop = Executors.newFixedThreadPool(16);
                for (int t = 0; t < 16; t++) {
                    int b = t % 3;
                    loop.execute(() -> {
                        while (System.nanoTime() < until) {
                            long t0 = System.nanoTime();
                            var r = shop.sell(kasir.get(b), Map.of("paymentType", "BPJS",
                                    "items", List.of(Map.of("productId", products[b], "quantity", 1))));
                            if (r.status() == 201) {
                                closed.recordValue((System.nanoTime() - t0) / 1000);
                                done.incrementAndGet();
                            }
                        }
                    });
                }
                loop.shutdown();
                loop.awaitTermination(SECONDS + 60, java.util.concurrent.TimeUnit.SECONDS);
                line(ordered("scenario", "api-sales-throughput", "concurrency", 16, "seconds", SECONDS,
                        "sales_per_s", Math.round(done.get() / (double) SECONDS),
                        "p50_ms", closed.getValueAtPercentile(50) / 1000.0,
                        "p99_ms", closed.getValueAtPercentile(99) / 1000.0));
            } finally {
                node.stop();
                api.stop();
            }
        }
    }
}
