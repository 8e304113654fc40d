package id.optikmelati.api.report;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.stock.StockForecast;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The numbers behind the live screens, for an ADMIN (own branch) or a SUPER_ADMIN (any branch;
 * every branch in the branch comparison). A period is {@code from}..{@code to} (inclusive business
 * days, at most a year; the last 30 days by default). Every report is also CSV with {@code format=csv}.
 */
@RestController
@RequestMapping("/api/reports")
class ReportController {

    private final ReportQueries queries;
    private final BranchAccess branchAccess;
    private final ZoneId zone;
    private final Clock clock;
    private final StockForecast forecast;
    private final Csv csv;

    ReportController(ReportQueries queries, BranchAccess branchAccess, ShopProperties properties, Clock clock,
            StockForecast forecast, MessageSource messages) {
        this.csv = new Csv(messages);
        this.queries = queries;
        this.branchAccess = branchAccess;
        this.zone = properties.zone();
        this.clock = clock;
        this.forecast = forecast;
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
        LocalDate today = LocalDate.now(clock.withZone(zone));
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

    /** Sales by day of week (1 = Monday) and hour of day, in the shop's time zone. */
    @GetMapping("/peak-hours")
    @Transactional(readOnly = true)
    ResponseEntity<?> peakHours(@CurrentUser ShopPrincipal user, ReportQuery query) {
        long branch = branchOf(user, query);
        Period p = period(query);
        var rows = queries.peakHours(branch, p.from(), p.to());
        return answer(query.format(), "peak-hours", rows, Map.of("period", p, "rows", rows));
    }

    /** Branches side by side: omset, transactions, average sale, BPJS share of omset, stockouts. */
    @GetMapping("/branches")
    @Transactional(readOnly = true)
    ResponseEntity<?> branches(@CurrentUser ShopPrincipal user, ReportQuery query) {
        adminOnly(user);
        Period p = period(query);
        var rows = queries.branches(p.from(), p.to()).stream().filter(b -> user.mayAccessBranch(b.branchId())).toList();
        return answer(query.format(), "branches", rows, Map.of("period", p, "branches", rows));
    }

    /** Units sold, restocked, corrected, transferred and reserved per product, busiest first; the fastest and slowest movers. */
    @GetMapping("/stock-movement")
    @Transactional(readOnly = true)
    ResponseEntity<?> stockMovement(@CurrentUser ShopPrincipal user, ReportQuery query) {
        long branch = branchOf(user, query);
        Period p = period(query);
        List<ReportQueries.ProductMovement> rows = queries.stockMovement(branch, p.from(), p.to());
        Map<String, long[]> byType = new TreeMap<>();
        for (ReportQueries.ProductMovement m : rows) {
            long[] t = byType.computeIfAbsent(m.type(), k -> new long[7]);
            t[0] += m.sold();
            t[1] += m.returned();
            t[2] += m.restocked();
            t[3] += m.corrected();
            t[4] += m.transferredIn();
            t[5] += m.transferredOut();
            t[6] += m.reserved();
        }
        List<Map<String, Object>> types = byType.entrySet().stream().map(e -> Map.<String, Object>of("type", e.getKey(),
                "sold", e.getValue()[0], "returned", e.getValue()[1], "restocked", e.getValue()[2],
                "corrected", e.getValue()[3], "transferredIn", e.getValue()[4], "transferredOut", e.getValue()[5],
                "reserved", e.getValue()[6])).toList();
        List<ReportQueries.ProductMovement> slowest = new ArrayList<>(rows);
        slowest.sort(Comparator.comparingLong(ReportQueries.ProductMovement::sold)
                .thenComparing(ReportQueries.ProductMovement::kode));
        return answer(query.format(), "stock-movement", rows, Map.of("period", p, "branchId", branch,
                "products", rows, "types", types,
                "fastest", rows.subList(0, Math.min(5, rows.size())), "slowest", slowest.subList(0, Math.min(5, slowest.size()))));
    }

    /** When each product of a branch will run out, and how much to reorder; with the method and its error. */
    @GetMapping("/forecast")
    @Transactional(readOnly = true)
    ResponseEntity<?> forecast(@CurrentUser ShopPrincipal user, ReportQuery query) {
        StockForecast.Forecast f = forecast.of(branchOf(user, query), LocaleContextHolder.getLocale());
        return answer(query.format(), "forecast", f.products(), f);
    }

    /**
     * How often and for how long each product sat at low or zero stock in the period (up to now),
     * from the movement history; products that never did are left out.
     */
    @GetMapping("/low-stock")
    @Transactional(readOnly = true)
    ResponseEntity<?> lowStock(@CurrentUser ShopPrincipal user, ReportQuery query) {
        long branch = branchOf(user, query);
        Period p = period(query);
        Instant start = p.from().atStartOfDay(zone).toInstant();
        Instant end = Collections.min(List.of(p.to().plusDays(1).atStartOfDay(zone).toInstant(), clock.instant()));
        var rows = queries.lowStock(branch, start, end);
        return answer(query.format(), "low-stock", rows, Map.of("period", p, "branchId", branch, "products", rows));
    }

    /** JSON, or the rows as CSV (format=csv) for the reader's spreadsheet, in their language. */
    private ResponseEntity<?> answer(String format, String name, List<? extends Record> rows, Object json) {
        if ("csv".equalsIgnoreCase(format)) {
            return ResponseEntity.ok()
                    .contentType(new MediaType("text", "csv", Map.of("charset", "UTF-8", "header", "present")))
                    .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                    .body(csv.of(rows, LocaleContextHolder.getLocale()));
        }
        if (format != null && !format.isBlank() && !"json".equalsIgnoreCase(format)) {
            throw ApiProblem.badRequest("bad-format");
        }
        return ResponseEntity.ok(json);
    }
}
