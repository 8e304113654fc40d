package id.optikmelati.realtime;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.SseClient;
import id.optikmelati.testkit.TestNodeArgs;
import id.optikmelati.testkit.TestShop;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real cluster for tests, on real PostgreSQL and Redis on free ports: the API as its own process
 * (its exec jar, as deployed) and realtime nodes in this JVM.
 */
final class RealtimeCluster {

    static final String SECRET = "optik-melati-demo-secret-for-tests-0123456789";

    private RealtimeCluster() {}

    /** The API node as a child process, from its exec jar, on this JVM's PostgreSQL and the given Redis. */
    static NodeProcess api(String redisUri) {
        List<String> args = new ArrayList<>(TestNodeArgs.api(redisUri, SECRET));
        args.add("--optik.outbox.snapshot-check-interval=1s");
        args.add("--optik.orders.overdue-check=1s");
        return NodeProcess.start("api", FreePorts.find(), args);
    }

    static ApiClient client(NodeProcess api) {
        return new ApiClient("http://127.0.0.1:" + api.port());
    }

    static ConfigurableApplicationContext node(String redisUri, Map<String, String> extra) {
        var props = new java.util.HashMap<String, Object>(Map.of(
                "server.port", "0",
                "management.server.port", "0",
                "optik.realtime.redis-url", redisUri,
                "optik.realtime.jwt-secret", SECRET,
                "optik.realtime.drain-timeout", "2s",
                "optik.realtime.readiness-grace", "0s",
                "optik.realtime.warm-up-streams", "0",
                "spring.profiles.active", "demo",
                "spring.jmx.enabled", "false"));
        props.putAll(extra);
        // as command-line arguments: they win over realtime.yml, as they would in a deployment
        return RealtimeApplication.builder().run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    static String url(ConfigurableApplicationContext node, String path) {
        return "http://127.0.0.1:" + port(node) + path;
    }

    /** On the node's management port (actuator). */
    static String managementUrl(ConfigurableApplicationContext node, String path) {
        return "http://127.0.0.1:" + node.getEnvironment().getProperty("local.management.port") + path;
    }

    /** A cashier's access token for {@code branch}, signed as the API signs it, valid for an hour. */
    static String kasirToken(long userId, String username, long branch) {
        return new AccessTokens(SECRET, Clock.systemUTC()).issue(userId, username, Role.KASIR, branch, Duration.ofHours(1));
    }

    // ---- the shop, as tests drive it ----

    /** A new frame with {@code stock} units in {@code branch} and none elsewhere. */
    static long product(long branch, int stock) {
        return TestShop.product(branch, stock, "Frame Uji Realtime").id();
    }

    /** One unit of {@code product}, paid UMUM; fails the test unless the API answers 201. */
    static void sell(ApiClient shop, String token, long product) {
        var r = shop.sell(token, Map.of("paymentType", "UMUM", "items", List.of(Map.of("productId", product, "quantity", 1))));
        if (r.status() != 201) {
            throw new AssertionError("sale refused: " + r.status() + " " + r.raw().body());
        }
    }

    static long branchSeq(long branch) {
        return TestShop.branchSeq(branch);
    }

    /** The seq in {@code branch} of every event message a client received (ids of control messages left out). */
    static List<Long> seqsOf(SseClient client, long branch) {
        List<Long> seqs = new ArrayList<>();
        for (var m : client.messages) {
            if (m.id() != null && !m.event().equals("reset") && !m.event().equals("omset")) {
                seqs.add(id.optikmelati.contract.EventCursor.parse(m.id()).orElseThrow().seqOf(branch).orElseThrow());
            }
        }
        return seqs;
    }

    /** A stock event of branch 1 with this seq, as the API's relay encodes it. */
    static String stockEnvelope(long seq) {
        Instant now = Instant.now();
        var update = Payloads.StockUpdate.of(ProductType.FRAME, 1000, "Frame Uji", "FR-UJI", 1, "Cabang Utama",
                30, 29);
        return EventCodec.encode(ShopEvent.of(1, seq, EventType.STOCK_CHANGED, now,
                Payloads.StockChanged.of(now, List.of(update), null)));
    }

    /** What the API's publish script does for one event, with or without the live message. */
    static void appendStockEvent(RedisCommands<String, String> r, long seq, boolean live) {
        Instant now = Instant.now();
        String envelope = stockEnvelope(seq);
        r.xadd(RedisKeys.stream(1), new XAddArgs().id(RedisKeys.streamEntryId(seq)), Map.of("ts", Long.toString(now.toEpochMilli()), "e", envelope));
        r.hset(RedisKeys.snapshot(1), "seq", Long.toString(seq));
        if (live) {
            r.publish(RedisKeys.channel(1), envelope);
        }
    }
}
