package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;
import static id.optikmelati.bench.Measurement.*;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.load.SseSwarm;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Our realtime node as the benchmark runs it: its own process on the benchmark's JDK, events published through the relay's Lua script. */
final class OurNode implements AutoCloseable {
    static final List<String> NODE_JVM = List.of("-XX:+UseSerialGC", "-Xms128m", "-Xmx1g", "-Xss256k");
    final RedisProcess redis;
    final RedisClient client;
    final RedisCommands<String, String> sync;
    final String publishSha;
    NodeProcess node;
    /** Whether the node has served streams since it started (a fresh one needs no restart). */
    boolean used;
    final AccessTokens tokens = new AccessTokens(SECRET, Clock.systemUTC());
    final Map<Long, Long> seqs = new ConcurrentHashMap<>();
    /** One client for the node's metrics, polled while streams open and close. */
    final HttpClient metricsHttp = HttpClient.newHttpClient();

    OurNode(RedisProcess redis) throws IOException {
        this.redis = redis;
        this.client = RedisClient.create(redis.uri());
        this.sync = client.connect().sync();
        this.publishSha = sync.scriptLoad(Files.readString(ROOT.resolve("api/src/main/resources/redis/publish.lua")));
        for (long b = 1; b <= BRANCHES; b++) {
            sync.hset(RedisKeys.branches(), Long.toString(b), "Cabang " + b);
            sync.hset(RedisKeys.snapshot(b), "seq", "0");
            seqs.put(b, 0L);
        }
        node = start();
    }

    private NodeProcess start() throws IOException {
        return startNode("realtime-node", "id.optikmelati.realtime.RealtimeApplication", FreePorts.find(),
                NODE_JVM, List.of(
                        "--spring.profiles.active=demo",
                        "--optik.realtime.redis-url=" + redis.uri(),
                        "--optik.realtime.jwt-secret=" + SECRET,
                        "--optik.realtime.connections-per-user=1000000",
                        "--optik.realtime.connects-per-ip-per-minute=100000000",
                        "--optik.realtime.max-connections=100000",
                        "--logging.level.root=warn"));
    }

    /** A node that has served no streams yet: restarted on the same Redis if it has (the seqs go on). */
    OurNode fresh() throws IOException {
        if (used) {
            node.stop();
            node = start();
            used = false;
        }
        return this;
    }

    void send(long branch, Instant now, String phase) {
        long seq = seqs.merge(branch, 1L, Long::sum);
        String data = stockEvent(branch, now, phase);
        String envelope = EventCodec.encode(new ShopEvent(branch, seq, EventType.STOCK_CHANGED, now, data));
        sync.evalsha(publishSha, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.stream(branch), RedisKeys.snapshot(branch), RedisKeys.channel(branch)},
                "10000", "PUBLISH", "1", Long.toString(seq), Long.toString(now.toEpochMilli()), envelope, "0");
    }

    String token(int i) {
        long branch = i % BRANCHES + 1;
        return tokens.issue(100_000 + i, "layar" + i, Role.KASIR, branch, Duration.ofHours(2));
    }

    Window fanout(int connections, int rate, int seconds, String scenario) throws Exception {
        used = true;
        Receiver receiver = new Receiver();
        long rssBase = ProcStats.rssBytes(node.pid());
        try (SseSwarm swarm = openFanout(node.port(), connections, b -> "/realtime/stock-updates", this::token,
                receiver)) {
            return measure(scenario, "ours", node.pid(), connections, rate, seconds, receiver, rssBase, this::send,
                    true, Map.of("node_jvm", String.join(" ", nodeJvm(NODE_JVM))));
        } finally {
            await("node to drop the connections", 60, () -> openStreams() == 0);
        }
    }

    /** This node as the reconnect wave and the memory scenario see it. */
    ReconnectWave.Target target() {
        used = true;
        return new ReconnectWave.Target("ours", node.pid(), node.port(), b -> "/realtime/stock-updates", this::token,
                this::send, () -> await("node to drop the connections", 60, () -> openStreams() == 0), () -> { }, true);
    }

    /** The node's open streams, from its Prometheus endpoint; -1 if the node does not answer. */
    long openStreams() {
        try {
            String metrics = metricsHttp.send(HttpRequest.newBuilder(URI.create(node.managementUrl("/actuator/prometheus")))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            long sum = 0;
            for (String l : metrics.split("\n")) {
                if (l.startsWith("optik_realtime_connections{")) {
                    sum += (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        node.stop();
        client.shutdown();
    }
}
