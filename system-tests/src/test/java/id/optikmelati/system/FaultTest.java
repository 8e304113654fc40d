package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.PostgresServer;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults on real processes, while screens are connected and sales flow: a realtime node, an API
 * node and Redis killed (SIGKILL), PostgreSQL stopped. Nothing is lost, nothing is duplicated, no
 * stream stays stuck, and nothing needs a restart of our nodes to recover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultTest {

    static PostgresServer postgres;
    static Path pgData;
    static int pgPort;
    static ShopCluster cluster;
    static long frame1;
    static long frame2;
    static AutoCloseable cpuHog;

    @BeforeAll
    static void start() throws Exception {
        cpuHog = id.optikmelati.testkit.CpuHog.whenAsked();
        pgData = Files.createTempDirectory("optik-fault-pg-");
        pgPort = FreePorts.find();
        postgres = PostgresServer.start(pgPort, pgData);
        cluster = ShopCluster.start(ShopCluster.Options.defaults().nodes(2, 2)
                .database(postgres.jdbcUrl(), postgres.username(), "")
                .args(List.of(), List.of("--optik.realtime.heartbeat=1s")));
        frame1 = product(1);
        frame2 = product(2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        cpuHog.close();
    }

    /** A frame with plenty of stock in one branch (this cluster has a database of its own). */
    static long product(long branch) throws Exception {
        try (Connection c = db(); var s = c.prepareStatement(
                "insert into product (kode, name, type, price) values (?, 'Frame Uji Gangguan', 'FRAME', 125000) returning id")) {
            s.setString(1, "F" + UUID.randomUUID().toString().substring(0, 8));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                for (long b = 1; b <= 3; b++) {
                    try (var i = c.prepareStatement("insert into stock (product_id, branch_id, quantity) values (?, ?, ?)")) {
                        i.setLong(1, id);
                        i.setLong(2, b);
                        i.setInt(3, b == branch ? 1_000_000 : 0);
                        i.executeUpdate();
                    }
                }
                return id;
            }
        }
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "");
    }

    static long dbLong(String sql, long arg) throws Exception {
        try (Connection c = db(); var s = c.prepareStatement(sql)) {
            s.setLong(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Cashiers of branches 1 and 2 selling through whichever API node answers. */
    static final class Cashiers implements AutoCloseable {
        final AtomicBoolean selling = new AtomicBoolean(true);
        final AtomicInteger sold = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final Thread thread;

        Cashiers(long pauseMillis) {
            String kasir1 = cluster.shop().login("kasir1", "melati-demo");
            String kasir2 = cluster.shop().login("kasir2", "melati-demo");
            thread = new Thread(() -> {
                int i = 0;
                while (selling.get()) {
                    NodeProcess node = cluster.apis.get(i % cluster.apis.size());
                    boolean branch1 = i++ % 2 == 0;
                    try {
                        var r = ShopCluster.shop(node).sell(branch1 ? kasir1 : kasir2, Map.of("paymentType", "UMUM",
                                "items", List.of(Map.of("productId", branch1 ? frame1 : frame2, "quantity", 1))));
                        if (r.status() == 201) {
                            sold.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet(); // that node is down: the next call goes to the other
                    }
                    sleep(pauseMillis);
                }
            }, "cashiers");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            selling.set(false);
            thread.join();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Screens of kasir1, kasir2 and the super admin, spread over the realtime nodes, reconnecting as browsers do. */
    static SseSwarm screens(ScreenLedger ledger, int count) {
        ApiClient shop = cluster.shop();
        List<String> tokens = List.of(shop.login("kasir1", "melati-demo"), shop.login("kasir2", "melati-demo"),
                shop.login("superadmin", "melati-demo"));
        SseSwarm swarm = new SseSwarm(cluster.realtimeAddresses(), "/realtime/dashboard", true, ledger);
        swarm.open(count, i -> tokens.get(i % 3), null);
        await().atMost(Duration.ofSeconds(60)).until(() -> swarm.liveCount() == count);
        return swarm;
    }

    /** Every screen has reached the current end of the branches it watches. */
    static void awaitEveryScreenCaughtUp(ScreenLedger ledger, int count, Duration within) throws Exception {
        Map<Long, Long> end = Map.of(1L, dbLong("select event_seq from branch where id = ?", 1),
                2L, dbLong("select event_seq from branch where id = ?", 2));
        ledger.awaitCaughtUp(count, ScreenLedger::kasirKasirSuperadmin, end, within);
    }

    @Test
    @Order(1)
    void aRealtimeNodeKilledUnder2000ConnectionsLosesNoClientAndNoEvent() throws Exception {
        ScreenLedger ledger = new ScreenLedger(false);
        int count = 2000;
        try (SseSwarm swarm = screens(ledger, count); Cashiers cashiers = new Cashiers(150)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> cashiers.sold.get() >= 10);
            NodeProcess victim = cluster.realtime.get(0);
            victim.kill();
            await().atMost(Duration.ofSeconds(30)).until(() -> cashiers.sold.get() >= 40);
            await().atMost(Duration.ofSeconds(60)).until(() -> swarm.liveCount() == count);
            assertThat(swarm.clients()).allMatch(c -> c.node() == 1 || c.connects() == 1);
            cashiers.close();
            awaitEveryScreenCaughtUp(ledger, count, Duration.ofSeconds(60));
            assertThat(ledger.violations).isEmpty();
            for (int i = 0; i < count; i++) {
                assertThat(ledger.screen(i).resets).as("screen %d got a reset", i).isZero();
            }
            assertThat(cashiers.failed.get()).isZero();
            victim.start();
        }
    }

    @Test
    @Order(2)
    void anApiNodeKilledMidRelayLeavesEveryEventInTheStreamExactlyOnce() throws Exception {
        try (Cashiers cashiers = new Cashiers(5)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> cashiers.sold.get() >= 50);
            cluster.apis.get(0).kill(); // it was relaying some branch, most likely mid-batch
            int before = cashiers.sold.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> cashiers.sold.get() >= before + 50);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> dbLong(
                "select count(*) from outbox_event where published_at is null and branch_id = ?", 1) == 0
                && dbLong("select count(*) from outbox_event where published_at is null and branch_id = ?", 2) == 0);
        RedisClient client = RedisClient.create(cluster.redis.uri());
        try (var c = client.connect()) {
            for (long branch : List.of(1L, 2L)) {
                long end = dbLong("select event_seq from branch where id = ?", branch);
                var entries = c.sync().xrange(RedisKeys.stream(branch), Range.create("-", "+"));
                List<Long> seqs = entries.stream().map(m -> Long.parseLong(m.getId().split("-")[0])).toList();
                long first = seqs.get(0);
                assertThat(seqs).as("branch %d stream", branch)
                        .isEqualTo(java.util.stream.LongStream.rangeClosed(first, end).boxed().toList());
            }
        } finally {
            client.shutdown();
        }
        cluster.apis.get(0).start();
    }

    @Test
    @Order(3)
    void redisKilledAndRestartedEmptyLosesNoEventAndLeavesNoStreamStuck() throws Exception {
        ScreenLedger ledger = new ScreenLedger(true);
        int count = 60;
        try (SseSwarm swarm = screens(ledger, count); Cashiers cashiers = new Cashiers(20)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> cashiers.sold.get() >= 10);
            cluster.redis.kill();
            int before = cashiers.sold.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> cashiers.sold.get() >= before + 20); // sales go on
            cluster.redis.start(); // empty: no streams, no snapshots
            await().atMost(Duration.ofSeconds(20)).until(() -> cashiers.sold.get() >= before + 40);
            cashiers.close();
            assertThat(cashiers.failed.get()).as("sales refused while Redis was down").isZero();
            awaitEveryScreenCaughtUp(ledger, count, Duration.ofSeconds(60));
            assertThat(ledger.violations).isEmpty();
            // the outbox wrote the streams back: no screen lost the notifications of that window
            for (int i = 0; i < count; i++) {
                assertThat(ledger.screen(i).resets).as("screen %d got a reset", i).isZero();
            }
            // Each screen ends with the true omset, whether it got every event or a reset with a snapshot.
            long omset1 = omsetToday(1);
            long omset2 = omsetToday(2);
            for (int i = 0; i < count; i++) {
                int kind = i % 3;
                if (kind != 1) {
                    assertThat(ledger.screen(i).omset.get(1L)).as("screen %d omset of branch 1", i).isEqualTo(omset1);
                }
                if (kind != 0) {
                    assertThat(ledger.screen(i).omset.get(2L)).as("screen %d omset of branch 2", i).isEqualTo(omset2);
                }
            }
        }
    }

    @Test
    @Order(5)
    void redisFlushedUnderTrafficResetsNoScreenNotEvenOnesThatReconnectWithOlderCursors() throws Exception {
        ScreenLedger ledger = new ScreenLedger(true);
        int count = 60;
        try (SseSwarm swarm = screens(ledger, count); Cashiers cashiers = new Cashiers(20)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> cashiers.sold.get() >= 10);
            RedisClient client = RedisClient.create(cluster.redis.uri());
            try (var c = client.connect()) {
                c.sync().flushall(); // by mistake
            } finally {
                client.shutdown();
            }
            int before = cashiers.sold.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> cashiers.sold.get() >= before + 20);
            // Both nodes restart, one after the other: the second one's screens come back on the first
            // with cursors from before its restart, which its (new) window does not reach: history.
            cluster.realtime.get(1).kill();
            cluster.realtime.get(1).start();
            int restarted = cashiers.sold.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> cashiers.sold.get() >= restarted + 10);
            cluster.realtime.get(0).kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> cashiers.sold.get() >= restarted + 30);
            cashiers.close();
            assertThat(cashiers.failed.get()).isZero();
            awaitEveryScreenCaughtUp(ledger, count, Duration.ofSeconds(60));
            assertThat(ledger.violations).isEmpty();
            for (int i = 0; i < count; i++) {
                assertThat(ledger.screen(i).resets).as("screen %d got a reset", i).isZero();
            }
            long omset1 = omsetToday(1);
            for (int i = 0; i < count; i += 3) {
                assertThat(ledger.screen(i).omset.get(1L)).as("screen %d omset of branch 1", i).isEqualTo(omset1);
            }
            cluster.realtime.get(0).start();
        }
    }

    static long omsetToday(long branch) throws Exception {
        return dbLong("select coalesce(sum(total), 0) from sale where branch_id = ? and business_date ="
                + " (now() at time zone 'Asia/Jakarta')::date", branch);
    }

    @Test
    @Order(4)
    void postgresStoppedGivesQuick503sKeepsStreamsOpenAndRecoversWithoutRestarts() throws Exception {
        ScreenLedger ledger = new ScreenLedger(false);
        int count = 30;
        ApiClient shop = cluster.shop();
        String kasir1 = shop.login("kasir1", "melati-demo");
        try (SseSwarm swarm = screens(ledger, count)) {
            postgres.close();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.api.url("/api/sales")))
                        .timeout(Duration.ofSeconds(15)) // a guard against a hang, not a performance bound
                        .header("Authorization", "Bearer " + kasir1).header("Content-Type", "application/json")
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"paymentType\":\"UMUM\",\"items\":[{\"productId\":"
                                + frame1 + ",\"quantity\":1}]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            }
            Thread.sleep(3000); // several heartbeats (1 s here): the streams must still be open
            assertThat(swarm.liveCount()).isEqualTo(count);

            postgres = PostgresServer.start(pgPort, pgData);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> shop.sell(kasir1, Map.of(
                    "paymentType", "UMUM", "items", List.of(Map.of("productId", frame1, "quantity", 1)))).status() == 201);
            awaitEveryScreenCaughtUp(ledger, count, Duration.ofSeconds(30));
            assertThat(ledger.violations).isEmpty();
            assertThat(swarm.clients()).allMatch(c -> c.connects() == 1); // nobody had to reconnect
        }
    }
}
