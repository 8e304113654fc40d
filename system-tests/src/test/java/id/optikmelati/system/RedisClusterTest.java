package id.optikmelati.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.PostgresServer;
import id.optikmelati.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.SlotHash;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster on a real 3-primary Redis Cluster (the embedded redis-server in cluster mode, append-only
 * files on): sales and screens across 15 branches, one primary killed and restarted mid-traffic; what
 * the screens received is checked against what was sold.
 */
class RedisClusterTest {

    static final int BRANCHES = 15;
    static final List<RedisProcess> shards = new ArrayList<>();
    static PostgresServer postgres;
    static ShopCluster cluster;
    static long product;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            shards.add(RedisProcess.start(FreePorts.find(), "--cluster-enabled", "yes", "--cluster-config-file",
                    "nodes.conf", "--cluster-node-timeout", "2000", "--appendonly", "yes",
                    "--cluster-require-full-coverage", "no"));
        }
        formCluster();
        postgres = PostgresServer.start(0, Files.createTempDirectory("optik-cluster-pg-"));
        String seeds = String.join(",", shards.stream().map(RedisProcess::uri).toList());
        cluster = ShopCluster.start(ShopCluster.Options.defaults().nodes(1, 2)
                .database(postgres.jdbcUrl(), postgres.username(), "")
                .redisCluster(seeds)
                .args(List.of(), List.of("--optik.realtime.heartbeat=1s")));
        // twelve more branches, and a frame in stock in each of the fifteen
        try (Connection c = db()) {
            for (int b = 4; b <= BRANCHES; b++) {
                c.createStatement().executeUpdate("insert into branch (id, name) values (" + b + ", 'Cabang Uji " + b + "')");
            }
            var p = c.prepareStatement("insert into product (kode, name, type, price) values (?, 'Frame Uji Cluster', 'FRAME', 90000) returning id");
            p.setString(1, "C" + UUID.randomUUID().toString().substring(0, 8));
            ResultSet rs = p.executeQuery();
            rs.next();
            product = rs.getLong(1);
            for (int b = 1; b <= BRANCHES; b++) {
                c.createStatement().executeUpdate("insert into stock (product_id, branch_id, quantity) values ("
                        + product + ", " + b + ", 100000)");
            }
        }
    }

    /** Three primaries, the 16384 slots split evenly, introduced to each other. */
    static void formCluster() {
        int[][] ranges = {{0, 5460}, {5461, 10922}, {10923, 16383}};
        for (int i = 0; i < 3; i++) {
            RedisClient client = RedisClient.create(shards.get(i).uri());
            try (var c = client.connect()) {
                c.sync().clusterAddSlots(IntStream.rangeClosed(ranges[i][0], ranges[i][1]).toArray());
                if (i > 0) {
                    c.sync().clusterMeet("127.0.0.1", shards.get(0).port());
                }
            } finally {
                client.shutdown();
            }
        }
        awaitClusterOk();
    }

    static void awaitClusterOk() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> shards.stream().allMatch(s -> {
            RedisClient client = RedisClient.create(s.uri());
            try (var c = client.connect()) {
                return c.sync().clusterInfo().contains("cluster_state:ok");
            } finally {
                client.shutdown();
            }
        }));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        shards.forEach(RedisProcess::stop);
        if (postgres != null) {
            postgres.close();
        }
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), "");
    }

    static long eventSeq(long branch) throws Exception {
        try (Connection c = db(); var s = c.prepareStatement("select event_seq from branch where id = ?")) {
            s.setLong(1, branch);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theBranchesSpreadOverEveryShard() {
        Set<Integer> shardsUsed = new HashSet<>();
        for (long b = 1; b <= BRANCHES; b++) {
            int slot = SlotHash.getSlot(RedisKeys.stream(b));
            assertThat(SlotHash.getSlot(RedisKeys.channel(b))).isEqualTo(slot);
            assertThat(SlotHash.getSlot(RedisKeys.snapshot(b))).isEqualTo(slot);
            shardsUsed.add(slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2);
        }
        assertThat(shardsUsed).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void screensReceiveEverythingSoldAcrossManyBranchesWhileAPrimaryRestarts() throws Exception {
        ApiClient shop = cluster.shop();
        String superadmin = shop.login("superadmin", "melati-demo");
        // the realtime nodes learn the new branches from Redis (the API seeds them) within a heartbeat
        io.lettuce.core.cluster.RedisClusterClient redis = io.lettuce.core.cluster.RedisClusterClient.create(
                shards.stream().map(s -> io.lettuce.core.RedisURI.create(s.uri())).toList());
        try (var c = redis.connect()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> c.sync().hlen(RedisKeys.branches()) == BRANCHES);
        } finally {
            redis.shutdown();
        }
        Thread.sleep(2500);
        ScreenLedger ledger = new ScreenLedger(false);
        int count = 20;
        try (SseSwarm swarm = new SseSwarm(cluster.realtimeAddresses(), "/realtime/dashboard", true, ledger)) {
            swarm.open(count, i -> superadmin, null); // every screen watches all fifteen branches
            await().atMost(Duration.ofSeconds(30)).until(() -> swarm.liveCount() == count);

            AtomicBoolean selling = new AtomicBoolean(true);
            AtomicInteger sold = new AtomicInteger();
            Thread cashiers = new Thread(() -> {
                for (int i = 0; selling.get(); i++) {
                    long branch = i % BRANCHES + 1;
                    var r = shop.sell(superadmin, Map.of("branchId", branch, "paymentType", "UMUM",
                            "items", List.of(Map.of("productId", product, "quantity", 1))));
                    if (r.status() == 201) {
                        sold.incrementAndGet();
                    }
                    FaultTest.sleep(40);
                }
            });
            cashiers.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> sold.get() >= 45);
            RedisProcess victim = shards.get(1);
            victim.kill();
            int before = sold.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> sold.get() >= before + 30); // sales go on
            victim.start(); // same port, same nodes.conf and append-only file
            awaitClusterOk();
            await().atMost(Duration.ofSeconds(30)).until(() -> sold.get() >= before + 75);
            selling.set(false);
            cashiers.join();

            Map<Long, Long> end = new java.util.HashMap<>();
            List<Long> all = new ArrayList<>();
            for (long b = 1; b <= BRANCHES; b++) {
                end.put(b, eventSeq(b));
                all.add(b);
            }
            ledger.awaitCaughtUp(count, i -> all, end, Duration.ofSeconds(60));
            assertThat(ledger.violations).isEmpty();
            int resets = 0;
            for (int i = 0; i < count; i++) {
                resets += ledger.screen(i).resets;
            }
            // With append-only files the restarted shard keeps its streams: nothing to reset.
            assertThat(resets).as("resets").isZero();
        }
    }
}
