package id.optikmelati.bench;

import static id.optikmelati.bench.Bench.*;

import id.optikmelati.testkit.ApiClient;
import id.optikmelati.testkit.FreePorts;
import id.optikmelati.testkit.NodeProcess;
import id.optikmelati.testkit.PostgresServer;
import id.optikmelati.testkit.RedisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The reports on a year of history for 50 branches, generated in PostgreSQL. */
final class ReportsOnAYear {

    private ReportsOnAYear() {}

    static void run() throws Exception {
        Path data = Files.createTempDirectory("optik-bench-reports-pg-");
        try (PostgresServer postgres = PostgresServer.start(0, data); RedisProcess redis = RedisProcess.start(0)) {
            NodeProcess api = startNode("api", "id.optikmelati.api.ApiApplication", FreePorts.find(),
                    List.of("-XX:+UseSerialGC", "-Xmx1g"), List.of(
                            "--spring.profiles.active=demo", "--spring.datasource.url=" + postgres.jdbcUrl(),
                            "--spring.datasource.username=postgres", "--optik.redis.url=" + redis.uri(),
                            "--optik.auth.jwt-secret=" + SECRET, "--logging.level.root=warn"));
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
                long t0 = System.nanoTime();
                var st = c.createStatement();
                st.execute("insert into branch (id, name) select g, 'Cabang Beban ' || g from generate_series(4, 50) g");
                st.execute("insert into stock (product_id, branch_id, quantity) select p.id, b.id, 50"
                        + " from product p cross join branch b where b.id > 3");
                // 60 sales a day in every branch for a year, 09:00 to 20:00 (Jakarta), a third BPJS
                st.execute("""
                        insert into sale (invoice_no, branch_id, cashier_id, payment_type, total, created_at,
                                          business_date, idempotency_key, request_hash)
                        select 'B-' || b || '-' || d || '-' || n, b, (select id from app_user where username = 'superadmin'),
                               case when n % 3 = 0 then 'BPJS' else 'UMUM' end, 100000 + (n * 7919) % 900000,
                               ((current_date - d) + time '09:00' + n * interval '11 minutes') at time zone 'Asia/Jakarta',
                               current_date - d, 'bench-' || b || '-' || d || '-' || n, 'bench'
                        from generate_series(1, 50) b, generate_series(0, 364) d, generate_series(1, 60) n
                        """);
                // one movement per sale, over 200 products; a restock every 40th; some fall to zero
                st.execute("""
                        insert into stock_movement (product_id, branch_id, kind, delta, quantity_after, at)
                        select 1 + (n * 31 + d) % 200, b, case when n % 40 = 0 then 'RESTOCKED' else 'SOLD' end,
                               case when n % 40 = 0 then 30 else -1 end, (n * 13 + d) % 25,
                               ((current_date - d) + time '09:00' + n * interval '11 minutes') at time zone 'Asia/Jakarta'
                        from generate_series(1, 50) b, generate_series(0, 364) d, generate_series(1, 60) n
                        """);
                st.execute("analyze");
                line(ordered("scenario", "reports-data", "branches", 50, "days", 365, "sales", 50L * 365 * 60,
                        "stock_movements", 50L * 365 * 60, "generate_seconds", round((System.nanoTime() - t0) / 1e9)));
            }
            ApiClient shop = new ApiClient("http://127.0.0.1:" + api.port());
            String token = shop.login("superadmin", "melati-demo");
            String year = "from=" + java.time.LocalDate.now().minusDays(364) + "&to=" + java.time.LocalDate.now();
            Map<String, String> reports = new LinkedHashMap<>();
            reports.put("branches (50 branches, a year)", "/api/reports/branches?" + year);
            reports.put("peak-hours (one branch, a year)", "/api/reports/peak-hours?branchId=7&" + year);
            reports.put("stock-movement (one branch, a year)", "/api/reports/stock-movement?branchId=7&" + year);
            reports.put("low-stock (one branch, a year)", "/api/reports/low-stock?branchId=7&" + year);
            reports.put("forecast (one branch)", "/api/reports/forecast?branchId=7");
            for (var r : reports.entrySet()) {
                shop.get(r.getValue(), token); // warm-up
                Histogram h = new Histogram(3_600_000_000L, 3);
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    var answer = shop.get(r.getValue(), token);
                    h.recordValue((System.nanoTime() - t0) / 1000);
                    if (answer.status() != 200) {
                        throw new IllegalStateException(r.getKey() + ": " + answer.status());
                    }
                }
                line(ordered("scenario", "report", "report", r.getKey(), "runs", 10,
                        "p50_ms", h.getValueAtPercentile(50) / 1000.0, "max_ms", h.getMaxValue() / 1000.0));
            }
            api.stop();
        }
    }
}
