package id.optikmelati.realtime;

import id.optikmelati.embedded.ApiClient;
import id.optikmelati.embedded.FreePorts;
import id.optikmelati.embedded.SharedServers;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real cluster for tests, on real PostgreSQL and Redis on free ports: the API as its own process
 * (its exec jar, as deployed) and realtime nodes in this JVM.
 */
final class RealtimeCluster {

    static final String SECRET = "optik-melati-demo-secret-for-tests-0123456789";

    private RealtimeCluster() {}

    /** The API node as a child process. */
    static final class ApiProcess implements AutoCloseable {
        final Process process;
        final int port;
        final Path log;

        ApiProcess(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        ApiClient client() {
            return new ApiClient("http://127.0.0.1:" + port);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static ApiProcess api(String redisUri) {
        File jar = apiJar();
        int port = FreePorts.find();
        try {
            Path log = Files.createTempFile("optik-api-", ".log");
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-jar", jar.getAbsolutePath(),
                    "--server.port=" + port,
                    "--spring.profiles.active=demo",
                    "--spring.datasource.url=" + SharedServers.postgresJdbcUrl(),
                    "--spring.datasource.username=" + SharedServers.postgresUser(),
                    "--spring.datasource.password=" + SharedServers.postgresPassword(),
                    "--optik.redis.url=" + redisUri,
                    "--optik.auth.jwt-secret=" + SECRET,
                    "--optik.outbox.snapshot-check-interval=1s"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ApiProcess api = new ApiProcess(p, port, log);
            awaitHealthy(api);
            return api;
        } catch (Exception e) {
            throw new IllegalStateException("the API node did not start: " + e.getMessage(), e);
        }
    }

    private static void awaitHealthy(ApiProcess api) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!api.process.isAlive()) {
                throw new IllegalStateException("API exited; log: " + Files.readString(api.log));
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port
                        + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("API not healthy within 120 s; log: " + api.log);
    }

    private static File apiJar() {
        Path target = Path.of("..", "api", "target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .map(Path::toFile)
                    .orElseThrow(() -> new IllegalStateException("no API jar in " + target.toAbsolutePath()
                            + "; build it first (./mvnw verify builds every module in order)"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ConfigurableApplicationContext node(String redisUri, Map<String, String> extra) {
        var props = new java.util.HashMap<String, Object>(Map.of(
                "server.port", "0",
                "optik.realtime.redis-url", redisUri,
                "optik.realtime.jwt-secret", SECRET,
                "optik.realtime.drain-timeout", "2s",
                "optik.realtime.readiness-grace", "0s",
                "spring.jmx.enabled", "false"));
        props.putAll(extra);
        // as command-line arguments: they win over realtime.yml, as they would in a deployment
        return RealtimeApplication.builder().run(props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    // ---- the shop, as tests drive it ----

    /** A new frame with {@code stock} units in {@code branch} and none elsewhere. */
    static long product(long branch, int stock) {
        long id = queryLong(
                "insert into product (kode, name, type, price) values (?, 'Frame Uji Realtime', 'FRAME', 100000) returning id",
                "RT" + java.util.UUID.randomUUID().toString().substring(0, 8));
        for (long b = 1; b <= 3; b++) {
            update("insert into stock (product_id, branch_id, quantity) values (?, ?, ?)", id, b, b == branch ? stock : 0);
        }
        return id;
    }

    /** One unit of {@code product}, paid UMUM; fails the test unless the API answers 201. */
    static void sell(ApiClient shop, String token, long product) {
        var r = shop.sell(token, Map.of("paymentType", "UMUM", "items", List.of(Map.of("productId", product, "quantity", 1))));
        if (r.status() != 201) {
            throw new AssertionError("sale refused: " + r.status() + " " + r.raw().body());
        }
    }

    static long branchSeq(long branch) {
        return queryLong("select event_seq from branch where id = ?", branch);
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

    // ---- the database, read and written directly by tests ----

    static long queryLong(String sql, Object... args) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(String sql, Object... args) {
        try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(SharedServers.postgresJdbcUrl(), SharedServers.postgresUser(),
                SharedServers.postgresPassword());
    }
}
