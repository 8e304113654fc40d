package id.optikmelati.loadtest;

import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.RedisProcess;
import id.optikmelati.testkit.TestNodeArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the simulations send their load: a deployed cluster ({@code -Dbase.url=https://... 
 * -Drealtime.url=https://...}, usually the same balancer), or, when no base URL is given, a local
 * cluster started for the run (embedded PostgreSQL and Redis, the API and a realtime node from
 * their exec jars, with a deployment's default limits), as the CI smoke run does.
 */
final class Target {

    static final String SECRET = "optik-melati-demo-secret-for-load-tests-0123456789";
    private static Target local;

    final String baseUrl;
    final String realtimeUrl;
    private final List<AutoCloseable> started = new ArrayList<>();

    private Target(String baseUrl, String realtimeUrl) {
        this.baseUrl = baseUrl;
        this.realtimeUrl = realtimeUrl;
    }

    /** The configured cluster, or a local one (started once per JVM, stopped at exit). */
    static synchronized Target get() {
        String base = System.getProperty("base.url", "").trim();
        if (!base.isEmpty()) {
            return new Target(base, System.getProperty("realtime.url", base).trim());
        }
        if (local == null) {
            local = startLocal();
            Runtime.getRuntime().addShutdownHook(new Thread(local::stop));
        }
        return local;
    }

    private static Target startLocal() {
        RedisProcess redis = RedisProcess.start(0);
        int apiPort = FreePorts.find();
        int rtPort = FreePorts.find();
        // with a deployment's limits (logins per address, streams per user): what passes here passes there
        NodeProcess api = NodeProcess.start("api", apiPort, TestNodeArgs.apiAsDeployed(redis.uri(), SECRET));
        NodeProcess realtime = NodeProcess.start("realtime-node", rtPort,
                TestNodeArgs.realtimeAsDeployed(redis.uri(), SECRET));
        Target t = new Target("http://127.0.0.1:" + apiPort, "http://127.0.0.1:" + rtPort);
        t.started.add(realtime);
        t.started.add(api);
        t.started.add(redis);
        return t;
    }

    private void stop() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception ignored) {
                // stopping anyway
            }
        }
    }

    static int intProp(String name, int def) {
        return Integer.getInteger(name, def);
    }
}
