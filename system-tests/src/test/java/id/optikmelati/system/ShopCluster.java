package id.optikmelati.system;

import id.optikmelati.embedded.ApiClient;
import id.optikmelati.embedded.FreePorts;
import id.optikmelati.embedded.NodeProcess;
import id.optikmelati.embedded.RedisProcess;
import id.optikmelati.embedded.SharedServers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The whole system as deployed, on loopback: embedded PostgreSQL and Redis, one API node and
 * realtime nodes, each node its own process from its exec jar. The web UI is reached as
 * {@code localhost}, the host its realtime URLs name.
 */
final class ShopCluster implements AutoCloseable {

    static final String SECRET = "optik-melati-demo-secret-for-system-tests-0123456789";

    final RedisProcess redis;
    final NodeProcess api;
    final List<NodeProcess> realtime = new ArrayList<>();

    private ShopCluster(int realtimeNodes) {
        redis = RedisProcess.start(0);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < realtimeNodes; i++) {
            ports.add(FreePorts.find());
        }
        int apiPort = FreePorts.find();
        api = NodeProcess.start("api", apiPort, List.of(
                "--spring.profiles.active=demo",
                "--spring.datasource.url=" + SharedServers.postgresJdbcUrl(),
                "--spring.datasource.username=" + SharedServers.postgresUser(),
                "--spring.datasource.password=" + SharedServers.postgresPassword(),
                "--optik.redis.url=" + redis.uri(),
                "--optik.auth.jwt-secret=" + SECRET,
                "--optik.auth.login-attempts-per-ip-per-minute=100000", // tests log in often from one address
                "--optik.metrics.gauge-interval=1s",
                "--optik.web.realtime-urls=" + ports.stream().map(p -> "//{host}:" + p).collect(Collectors.joining(","))));
        for (int port : ports) {
            realtime.add(NodeProcess.start("realtime-node", port, List.of(
                    "--optik.realtime.redis-url=" + redis.uri(),
                    "--optik.realtime.jwt-secret=" + SECRET,
                    "--optik.realtime.cors-origins=" + webUrl(apiPort),
                    "--optik.realtime.readiness-grace=0s",
                    "--optik.realtime.drain-timeout=2s")));
        }
    }

    static ShopCluster start(int realtimeNodes) {
        return new ShopCluster(realtimeNodes);
    }

    private static String webUrl(int port) {
        return "http://localhost:" + port;
    }

    String web(String path) {
        return webUrl(api.port()) + path;
    }

    ApiClient shop() {
        return new ApiClient("http://127.0.0.1:" + api.port());
    }

    @Override
    public void close() {
        realtime.forEach(NodeProcess::kill);
        api.stop();
        redis.stop();
    }
}
