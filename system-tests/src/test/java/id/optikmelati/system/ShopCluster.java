package id.optikmelati.system;

import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.TestNodeArgs;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The whole system as deployed, on loopback: PostgreSQL and Redis, API nodes and realtime nodes,
 * each node its own process from its exec jar. The web UI is reached as {@code localhost}, the
 * host its realtime URLs name.
 */
final class ShopCluster implements AutoCloseable {

    static final String SECRET = "optik-melati-demo-secret-for-system-tests-0123456789";

    /** How to build one; the defaults are this JVM's PostgreSQL, one API node, two realtime nodes. */
    record Options(int apiNodes, int realtimeNodes, String jdbcUrl, String dbUser, String dbPassword,
            List<String> apiArgs, List<String> realtimeArgs, String redisCluster) {

        static Options defaults() {
            return new Options(1, 2, null, null, null, List.of(), List.of(), null);
        }

        Options nodes(int api, int realtime) {
            return new Options(api, realtime, jdbcUrl, dbUser, dbPassword, apiArgs, realtimeArgs, redisCluster);
        }

        Options database(String url, String user, String password) {
            return new Options(apiNodes, realtimeNodes, url, user, password, apiArgs, realtimeArgs, redisCluster);
        }

        Options args(List<String> api, List<String> realtime) {
            return new Options(apiNodes, realtimeNodes, jdbcUrl, dbUser, dbPassword, api, realtime, redisCluster);
        }

        /** A Redis Cluster (comma-separated seed URLs) instead of a Redis of the cluster's own. */
        Options redisCluster(String seeds) {
            return new Options(apiNodes, realtimeNodes, jdbcUrl, dbUser, dbPassword, apiArgs, realtimeArgs, seeds);
        }
    }

    final RedisProcess redis;
    final List<NodeProcess> apis = new ArrayList<>();
    final NodeProcess api;
    final List<NodeProcess> realtime = new ArrayList<>();

    private ShopCluster(Options o) {
        redis = o.redisCluster() == null ? RedisProcess.start(0) : null;
        String redisUrl = o.redisCluster() == null ? redis.uri() : o.redisCluster();
        String redisMode = o.redisCluster() == null ? "standalone" : "cluster";
        List<Integer> realtimePorts = new ArrayList<>();
        for (int i = 0; i < o.realtimeNodes(); i++) {
            realtimePorts.add(FreePorts.find());
        }
        List<Integer> apiPorts = new ArrayList<>();
        for (int i = 0; i < o.apiNodes(); i++) {
            apiPorts.add(FreePorts.find());
        }
        for (int port : apiPorts) {
            List<String> args = new ArrayList<>(o.jdbcUrl() != null
                    ? TestNodeArgs.api(o.jdbcUrl(), o.dbUser(), o.dbPassword(), redisUrl, SECRET)
                    : TestNodeArgs.api(redisUrl, SECRET));
            args.addAll(List.of(
                    "--optik.redis.mode=" + redisMode,
                    "--optik.metrics.gauge-interval=1s",
                    "--optik.outbox.snapshot-check-interval=1s",
                    "--optik.web.realtime-urls=" + realtimePorts.stream().map(p -> "//{host}:" + p)
                            .collect(Collectors.joining(","))));
            apis.add(NodeProcess.start("api", port, TestNodeArgs.with(args, o.apiArgs())));
        }
        api = apis.get(0);
        for (int port : realtimePorts) {
            List<String> args = new ArrayList<>(TestNodeArgs.realtime(redisUrl, SECRET));
            args.addAll(List.of(
                    "--optik.realtime.redis-mode=" + redisMode,
                    "--optik.realtime.cors-origins=" + apiPorts.stream().map(ShopCluster::webUrl)
                            .collect(Collectors.joining(",")),
                    "--optik.realtime.readiness-grace=0s",
                    "--optik.realtime.drain-timeout=2s"));
            realtime.add(NodeProcess.start("realtime-node", port, TestNodeArgs.with(args, o.realtimeArgs())));
        }
    }

    static ShopCluster start(int realtimeNodes) {
        return new ShopCluster(Options.defaults().nodes(1, realtimeNodes));
    }

    static ShopCluster start(Options options) {
        return new ShopCluster(options);
    }

    private static String webUrl(int port) {
        return "http://localhost:" + port;
    }

    String web(String path) {
        return webUrl(api.port()) + path;
    }

    ApiClient shop() {
        return shop(api);
    }

    static ApiClient shop(NodeProcess node) {
        return new ApiClient("http://127.0.0.1:" + node.port());
    }

    /** Streams open on {@code node} at {@code endpoint} (e.g. /realtime/dashboard), by the node's own metrics. */
    static int openStreams(NodeProcess node, String endpoint) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(node.managementUrl("/actuator/prometheus"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        int open = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("optik_realtime_connections{") && line.contains("\"" + endpoint + "\"")) {
                open += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return open;
    }

    List<InetSocketAddress> realtimeAddresses() {
        return realtime.stream().map(n -> new InetSocketAddress("127.0.0.1", n.port())).toList();
    }

    @Override
    public void close() {
        realtime.forEach(NodeProcess::kill);
        apis.forEach(NodeProcess::stop);
        if (redis != null) {
            redis.stop();
        }
    }
}
