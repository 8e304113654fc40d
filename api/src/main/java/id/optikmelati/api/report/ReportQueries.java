package id.optikmelati.api.report;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.stock.StockForecast;
import id.optikmelati.contract.AlertLevel;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reports' SQL, over the sales and the stock movement history. A period is inclusive business
 * days in the shop's zone; "low" is {@link AlertLevel}'s band, as everywhere else.
 */
@Component
class ReportQueries {

    private final JdbcClient jdbc;
    private final ZoneId zone;

    ReportQueries(JdbcClient jdbc, ShopProperties properties) {
        this.jdbc = jdbc;
        this.zone = properties.zone();
    }

    record PeakHour(long branchId, int dayOfWeek, int hour, long transactions, long omset) {}

    /** Sales by day of week (1 = Monday) and hour of day, in the shop's time zone. */
    List<PeakHour> peakHours(long branch, LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select extract(isodow from created_at at time zone :zone)::int as dow,
                               extract(hour from created_at at time zone :zone)::int as hour,
                               count(*) as transactions, sum(total) as omset
                        from sale
                        where branch_id = :branch and business_date between :from and :to
                        group by 1, 2 order by 1, 2
                        """)
                .param("zone", zone.getId()).param("branch", branch).param("from", from).param("to", to)
                .query((rs, i) -> new PeakHour(branch, rs.getInt("dow"), rs.getInt("hour"), rs.getLong("transactions"),
                        rs.getLong("omset")))
                .list();
    }

    /**
     * @param omset sales less the voids and returns booked in the period
     * @param returns what the voids and returns booked in the period took back
     * @param averageSale omset per receipt issued in the period
     */
    record BranchFigures(long branchId, String name, long omset, long transactions, long averageSale, double bpjsShare,
            long stockouts, long returns) {}

    /** Every branch: omset, returns, transactions, average sale, BPJS share of omset, stockouts. */
    List<BranchFigures> branches(LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select b.id, b.name,
                               coalesce(s.omset, 0) - coalesce(r.returns, 0) as omset,
                               coalesce(r.returns, 0) as returns, coalesce(s.transactions, 0) as transactions,
                               coalesce(s.bpjs, 0) - coalesce(r.bpjs, 0) as bpjs, coalesce(m.stockouts, 0) as stockouts
                        from branch b
                        left join (select branch_id, sum(total) as omset, count(*) as transactions,
                                          sum(total) filter (where payment_type = 'BPJS') as bpjs
                                   from sale where business_date between :from and :to group by branch_id) s
                               on s.branch_id = b.id
                        left join (select branch_id, sum(amount) as returns,
                                          sum(amount) filter (where payment_type = 'BPJS') as bpjs
                                   from sale_return where business_date between :from and :to group by branch_id) r
                               on r.branch_id = b.id
                        left join (select branch_id, count(*) as stockouts from stock_movement
                                   where quantity_after = 0 and delta < 0
                                     and at >= (cast(:from as date) at time zone :zone)
                                     and at < (cast(:to as date) + 1) at time zone :zone
                                   group by branch_id) m
                               on m.branch_id = b.id
                        order by b.id
                        """)
                .param("from", from).param("to", to).param("zone", zone.getId())
                .query((rs, i) -> {
                    long omset = rs.getLong("omset");
                    long n = rs.getLong("transactions");
                    return new BranchFigures(rs.getLong("id"), rs.getString("name"), omset, n, n == 0 ? 0 : omset / n,
                            omset == 0 ? 0 : Math.round(rs.getLong("bpjs") * 1000.0 / omset) / 1000.0,
                            rs.getLong("stockouts"), rs.getLong("returns"));
                })
                .list();
    }

    record ProductMovement(long productId, String kode, String name, String type, long sold, long restocked,
            long corrected, long returned, long transferredIn, long transferredOut, long reserved) {}

    /**
     * Units sold, returned, restocked, corrected, transferred in and out (a cancelled send comes back
     * as in) and reserved for glasses orders (less those released) per product of the branch, busiest
     * first. A transfer is demand of neither branch: the forecast counts sales and returns only.
     */
    List<ProductMovement> stockMovement(long branch, LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        select p.id, p.kode, p.name, p.type,
                               coalesce(sum(-m.delta) filter (where m.kind = 'SOLD'), 0) as sold,
                               coalesce(sum(m.delta) filter (where m.kind = 'RETURNED'), 0) as returned,
                               coalesce(sum(m.delta) filter (where m.kind = 'RESTOCKED'), 0) as restocked,
                               coalesce(sum(-m.delta) filter (where m.kind = 'CORRECTED'), 0) as corrected,
                               coalesce(sum(m.delta) filter (where m.kind = 'TRANSFERRED_IN'), 0) as transferred_in,
                               coalesce(sum(-m.delta) filter (where m.kind = 'TRANSFERRED_OUT'), 0) as transferred_out,
                               coalesce(sum(-m.delta) filter (where m.kind in ('RESERVED', 'RELEASED')), 0) as reserved
                        from stock s join product p on p.id = s.product_id
                        left join stock_movement m on m.product_id = s.product_id and m.branch_id = s.branch_id
                             and m.at >= (cast(:from as date) at time zone :zone)
                             and m.at < (cast(:to as date) + 1) at time zone :zone
                        where s.branch_id = :branch
                        group by p.id, p.kode, p.name, p.type
                        order by sold desc, p.kode
                        """)
                .param("branch", branch).param("from", from).param("to", to).param("zone", zone.getId())
                .query((rs, i) -> new ProductMovement(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                        rs.getString("type"), rs.getLong("sold"), rs.getLong("restocked"), rs.getLong("corrected"),
                        rs.getLong("returned"), rs.getLong("transferred_in"), rs.getLong("transferred_out"),
                        rs.getLong("reserved")))
                .list();
    }

    record LowStockSpell(long productId, String kode, String name, long timesLow, long stockouts, double hoursLow,
            double hoursOut) {}

    /**
     * How often and for how long each product sat at low or zero stock between {@code start} and
     * {@code end}, from the movement history; products that never did are left out.
     */
    List<LowStockSpell> lowStock(long branch, Instant start, Instant end) {
        return jdbc.sql("""
                        with m as (
                            select product_id, at, quantity_after,
                                   lag(quantity_after) over w as before,
                                   coalesce(lead(at) over w, :end) as until
                            from stock_movement
                            where branch_id = :branch and at < :end
                            window w as (partition by product_id order by at, id)
                        )
                        select p.id, p.kode, p.name,
                               count(*) filter (where m.at >= :start and m.quantity_after <= :low
                                                and (m.before is null or m.before > :low)) as times_low,
                               count(*) filter (where m.at >= :start and m.quantity_after = 0
                                                and (m.before is null or m.before > 0)) as stockouts,
                               coalesce(sum(extract(epoch from (least(m.until, :end) - greatest(m.at, :start))))
                                        filter (where m.quantity_after <= :low and m.until > :start), 0) as seconds_low,
                               coalesce(sum(extract(epoch from (least(m.until, :end) - greatest(m.at, :start))))
                                        filter (where m.quantity_after = 0 and m.until > :start), 0) as seconds_out
                        from m join product p on p.id = m.product_id
                        group by p.id, p.kode, p.name
                        having count(*) filter (where m.quantity_after <= :low and m.until > :start) > 0
                        order by seconds_low desc, p.kode
                        """)
                .param("branch", branch).param("start", Timestamp.from(start)).param("end", Timestamp.from(end))
                .param("low", AlertLevel.LOW_MAX)
                .query((rs, i) -> new LowStockSpell(rs.getLong("id"), rs.getString("kode"), rs.getString("name"),
                        rs.getLong("times_low"), rs.getLong("stockouts"),
                        StockForecast.round(rs.getDouble("seconds_low") / 3600),
                        StockForecast.round(rs.getDouble("seconds_out") / 3600)))
                .list();
    }
}
