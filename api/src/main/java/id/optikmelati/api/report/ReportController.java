package id.optikmelati.api.report;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.stock.StockForecast;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The numbers behind the live screens, from the sales and the stock movement history in
 * PostgreSQL, for an ADMIN (own branch) or a SUPER_ADMIN (any branch; every branch in the branch
 * comparison). A period is {@code from}..{@code to} (inclusive business days, at most a year; the
 * last 30 days by default). Every report is also CSV with {@code format=csv}.
 */
@RestController
@RequestMapping("/api/reports")
class ReportController {

    private final JdbcClient jdbc;
    private final BranchAccess branchAccess;
    private final ShopProperties properties;
    private final Clock clock;

    private final StockForecast forecast;

    ReportController(JdbcClient jdbc, BranchAccess branchAccess, ShopProperties properties, Clock clock,
            StockForecast forecast) {
        this.forecast = forecast;
        this.jdbc = jdbc;
        this.branchAccess = branchAccess;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * What every report is asked with (all optional): the branch (a super admin's choice), the period,
     * and {@code format=csv}.
     */
    record ReportQuery(Long branchId, @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to, String format) {}

    record Period(LocalDate from, LocalDate to) {}

    /** The one branch a report is about, for an admin of it or a super admin. */
    private long branchOf(ShopPrincipal user, ReportQuery query) {
        adminOnly(user);
        return branchAccess.resolve(user, query.branchId());
    }

    private Period period(ReportQuery query) {
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        LocalDate end = query.to() != null ? query.to() : today;
        LocalDate start = query.from() != null ? query.from() : end.minusDays(29);
        if (start.isAfter(end) || ChronoUnit.DAYS.between(start, end) > 366) {
            throw ApiProblem.badRequest("bad-period");
        }
        return new Period(start, end);
    }

    private static void adminOnly(ShopPrincipal user) {
        if (!user.role().isAdmin()) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "reports-admin-only");
        }
    }

    record PeakHour(long branchId, int dayOfWeek, int hour, long transactions, long omset) {}

    /** Sales by day of week (1 = Monday) and hour of day, in the shop's time zone. */
    @GetMapping("/peak-hours")
    @Transactional(readOnly = true)
    ResponseEntity<?> peakHours(@CurrentUser ShopPrincipal user, ReportQuery query) {
        long branch = branchOf(user, query);
        Period p = period(query);
        String format = query.format();
        List<PeakHour> rows = jdbc.sql("""
                        select extract(isodow from created_at at time zone :zone)::int as dow,
                               extract(hour from created_at at time zone :zone)::int as hour,
                               count(*) as transactions, sum(total) as omset
                        from sale
                        where branch_id = :branch and business_date between :from and :to
                        group by 1, 2 order by 1, 2
                        """)
                .param("zone", properties.zone().getId()).param("branch", branch)
                .param("from", p.from()).param("to", p.to())
                .query((rs, i) -> new PeakHour(branch, rs.getInt("dow"), rs.getInt("hour"), rs.getLong("transactions"),
                        rs.getLong("omset")))
                .list();
        return answer(format, "peak-hours", rows, Map.of("period", p, "rows", rows));
    }

    record BranchFigures(long branchId, String name, long omset, long transactions, long averageSale, double bpjsShare,
            long stockouts) {}

    /** Branches side by side: omset, transactions, average sale, BPJS share of omset, stockouts. */
    @GetMapping("/branches")
    @Transactional(readOnly = true)
    ResponseEntity<?> branches(@CurrentUser ShopPrincipal user, ReportQuery query) {
        adminOnly(user);
        Period p = period(query);
        String format = query.format();
        List<BranchFigures> rows = jdbc.sql("""
                        select b.id, b.name,
                               coalesce(s.omset, 0) as omset, coalesce(s.transactions, 0) as transactions,
                               coalesce(s.bpjs, 0) as bpjs, coalesce(m.stockouts, 0) as stockouts
                        from branch b
                        left join (select branch_id, sum(total) as omset, count(*) as transactions,
                                          sum(total) filter (where payment_type = 'BPJS') as bpjs
                                   from sale where business_date between :from and :to group by branch_id) s
                               on s.branch_id = b.id
                        left join (select branch_id, count(*) as stockouts from stock_movement
                                   where quantity_after = 0 and delta < 0
                                     and at >= (cast(:from as date) at time zone :zone)
                                     and at < (cast(:to as date) + 1) at time zone :zone
                                   group by branch_id) m
                               on m.branch_id = b.id
                        order by b.id
                        """)
                .param("from", p.from()).param("to", p.to()).param("zone", properties.zone().getId())
                .query((rs, i) -> {
                    long omset = rs.getLong("omset");
                    long n = rs.getLong("transactions");
                    return new BranchFigures(rs.getLong("id"), rs.getString("name"), omset, n, n == 0 ? 0 : omset / n,
                            omset == 0 ? 0 : Math.round(rs.getLong("bpjs") * 1000.0 / omset) / 1000.0,
                            rs.getLong("stockouts"));
                })
                .list().stream().filter(b -> user.mayAccessBranch(b.branchId())).toList();
        return answer(format, "branches", rows, Map.of("period", p, "branches", rows));
    }

    record ProductMovement(long productId, String kode, String name, String type, long sold, long restocked,
            long corrected) {}

    /** Units sold, restocked and corrected per product, busiest first; the fastest and slowest movers. */
    @GetMapping("/stock-movement")
    @Transactional(readOnly = true)
    ResponseEntity<?> stockMovement(@CurrentUser ShopPrincipal user, ReportQuery query) {
        long branch = branchOf(user, query);
        Period p = period(query);
        String format = query.format();
        List<ProductMovement> rows = jdbc.sql("""
                        select p.id, p.kode, p.name, p.type,
                               coalesce(sum(-m.delta) filter (where m.kind = 'SOLD'), 0) as sold,
                               coalesce(sum(m.delta) filter (where m.kind = 'RESTOCKED'), 0) as restocked,
                               coalesce(sum(-m.delta) filter (where m.kind = 'CORRECTED'), 0) as corrected
                        from stock s join product p on p.id = s.product_id
                        left join stock_movement m on m.product_id = s.product_id and m.branch_id = s.branch_id
                             and m.at >= (cast(:from as date) at time zone :zone)
                             and m.at < (cast(:to as date) + 1) at time zone :zone
                        where s.branch_id = :branch
                        group by p.id, p.kode, p.name, p.type
                        order by sold desc, p.kode
                        """)
                .param("branch", branch).param("from", p.from()).param("to", p.to())
                .param("zone", properties.zone().getId())
                .query((rs, i) -> new ProductMovement(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                        rs.getString("type"), rs.getLong("sold"), rs.getLong("restocked"), rs.getLong("corrected")))
                .list();
        Map<String, long[]> byType = new java.util.TreeMap<>();
        for (ProductMovement m : rows) {
            long[] t = byType.computeIfAbsent(m.type(), k -> new long[3]);
            t[0] += m.sold();
            t[1] += m.restocked();
            t[2] += m.corrected();
        }
        List<Map<String, Object>> types = byType.entrySet().stream().map(e -> Map.<String, Object>of("type", e.getKey(),
                "sold", e.getValue()[0], "restocked", e.getValue()[1], "corrected", e.getValue()[2])).toList();
        List<ProductMovement> slowest = new ArrayList<>(rows);
        slowest.sort(Comparator.comparingLong(ProductMovement::sold).thenComparing(ProductMovement::kode));
        return answer(format, "stock-movement", rows, Map.of("period", p, "branchId", branch, "products", rows,
                "types", types,
                "fastest", rows.subList(0, Math.min(5, rows.size())), "slowest", slowest.subList(0, Math.min(5, slowest.size()))));
    }

    /** When each product of a branch will run out, and how much to reorder; with the method and its error. */
    @GetMapping("/forecast")
    @Transactional(readOnly = true)
    ResponseEntity<?> forecast(@CurrentUser ShopPrincipal user, ReportQuery query) {
        StockForecast.Forecast f = forecast.of(branchOf(user, query), LocaleContextHolder.getLocale());
        return answer(query.format(), "forecast", f.products(), f);
    }

    record LowStockSpell(long productId, String kode, String name, long timesLow, long stockouts, double hoursLow,
            double hoursOut) {}

    /**
     * How often and for how long each product sat at low (≤5) or zero stock in the period, from the
     * movement history; products that never did are left out.
     */
    @GetMapping("/low-stock")
    @Transactional(readOnly = true)
    ResponseEntity<?> lowStock(@CurrentUser ShopPrincipal user, ReportQuery query) {
        long branch = branchOf(user, query);
        Period p = period(query);
        String format = query.format();
        java.time.ZoneId zone = properties.zone();
        java.time.Instant start = p.from().atStartOfDay(zone).toInstant();
        java.time.Instant end = java.util.Collections.min(List.of(p.to().plusDays(1).atStartOfDay(zone).toInstant(),
                clock.instant()));
        List<LowStockSpell> rows = jdbc.sql("""
                        with m as (
                            select product_id, at, quantity_after,
                                   lag(quantity_after) over w as before,
                                   coalesce(lead(at) over w, :end) as until
                            from stock_movement
                            where branch_id = :branch and at < :end
                            window w as (partition by product_id order by at, id)
                        )
                        select p.id, p.kode, p.name,
                               count(*) filter (where m.at >= :start and m.quantity_after <= 5
                                                and (m.before is null or m.before > 5)) as times_low,
                               count(*) filter (where m.at >= :start and m.quantity_after = 0
                                                and (m.before is null or m.before > 0)) as stockouts,
                               coalesce(sum(extract(epoch from (least(m.until, :end) - greatest(m.at, :start))))
                                        filter (where m.quantity_after <= 5 and m.until > :start), 0) as seconds_low,
                               coalesce(sum(extract(epoch from (least(m.until, :end) - greatest(m.at, :start))))
                                        filter (where m.quantity_after = 0 and m.until > :start), 0) as seconds_out
                        from m join product p on p.id = m.product_id
                        group by p.id, p.kode, p.name
                        having count(*) filter (where m.quantity_after <= 5 and m.until > :start) > 0
                        order by seconds_low desc, p.kode
                        """)
                .param("branch", branch).param("start", java.sql.Timestamp.from(start))
                .param("end", java.sql.Timestamp.from(end))
                .query((rs, i) -> new LowStockSpell(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                        rs.getLong("times_low"), rs.getLong("stockouts"),
                        StockForecast.round(rs.getDouble("seconds_low") / 3600), StockForecast.round(rs.getDouble("seconds_out") / 3600)))
                .list();
        return answer(format, "low-stock", rows, Map.of("period", p, "branchId", branch, "products", rows));
    }

    /** JSON, or the rows as CSV (format=csv) for a spreadsheet. */
    private static ResponseEntity<?> answer(String format, String name, List<? extends Record> rows, Object json) {
        if ("csv".equalsIgnoreCase(format)) {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                    .body(Csv.of(rows));
        }
        if (format != null && !format.isBlank() && !"json".equalsIgnoreCase(format)) {
            throw ApiProblem.badRequest("bad-format");
        }
        return ResponseEntity.ok(json);
    }
}
