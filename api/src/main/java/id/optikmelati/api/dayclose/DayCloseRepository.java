package id.optikmelati.api.dayclose;

import id.optikmelati.contract.Payloads.DayFigures;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The day closes and their log, and the figures of a business day as they stand. */
@Repository
class DayCloseRepository {

    private final JdbcClient jdbc;

    DayCloseRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A day's close as stored: its figures fixed when it was closed. */
    record StoredClose(boolean closed, DayFigures figures, String note, String closedBy, Instant closedAt) {}

    record LogEntry(String action, String note, String by, Instant at) {}

    boolean isClosed(long branch, LocalDate date) {
        return jdbc.sql("select closed from day_close where branch_id = :b and business_date = :d")
                .param("b", branch).param("d", date).query(Boolean.class).optional().orElse(false);
    }

    Optional<StoredClose> find(long branch, LocalDate date) {
        return jdbc.sql("""
                        select c.*, u.username from day_close c join app_user u on u.id = c.closed_by
                        where c.branch_id = :b and c.business_date = :d""")
                .param("b", branch).param("d", date)
                .query((rs, i) -> new StoredClose(rs.getBoolean("closed"), new DayFigures(rs.getLong("transactions"),
                        rs.getLong("total"), rs.getLong("bpjs"), rs.getLong("umum"), rs.getLong("returns"),
                        rs.getLong("deposits_received"), rs.getLong("deposits_settled"), rs.getLong("deposits_refunded"),
                        rs.getLong("cash_expected"), rs.getLong("cash_counted"),
                        rs.getLong("cash_counted") - rs.getLong("cash_expected")),
                        rs.getString("note"), rs.getString("username"), rs.getTimestamp("closed_at").toInstant()))
                .optional();
    }

    List<LogEntry> log(long branch, LocalDate date) {
        return jdbc.sql("""
                        select l.action, l.note, u.username, l.at from day_close_log l join app_user u on u.id = l.by_user
                        where l.branch_id = :b and l.business_date = :d order by l.id""")
                .param("b", branch).param("d", date)
                .query((rs, i) -> new LogEntry(rs.getString("action"), rs.getString("note"), rs.getString("username"),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    /** The day's figures from its sales, returns and orders, with {@code cashCounted} set against them. */
    DayFigures figures(long branch, LocalDate date, ZoneId zone, long cashCounted) {
        return jdbc.sql("""
                        with s as (select count(*) as n, coalesce(sum(total), 0) as total,
                                          coalesce(sum(total) filter (where payment_type = 'BPJS'), 0) as bpjs,
                                          coalesce(sum(total) filter (where payment_type = 'UMUM'), 0) as umum
                                   from sale where branch_id = :b and business_date = :d),
                             r as (select coalesce(sum(amount), 0) as total,
                                          coalesce(sum(amount) filter (where payment_type = 'BPJS'), 0) as bpjs,
                                          coalesce(sum(amount) filter (where payment_type = 'UMUM'), 0) as umum
                                   from sale_return where branch_id = :b and business_date = :d),
                             o as (select
                                     coalesce(sum(deposit) filter (where (created_at at time zone :zone)::date = :d), 0)
                                         as received,
                                     coalesce(sum(deposit) filter (where (cancelled_at at time zone :zone)::date = :d), 0)
                                         as refunded
                                   from customer_order where branch_id = :b),
                             p as (select coalesce(sum(o.deposit), 0) as settled
                                   from customer_order o join sale x on x.id = o.sale_id
                                   where o.branch_id = :b and x.business_date = :d and x.payment_type = 'UMUM')
                        select s.n, s.total - r.total as total, s.bpjs - r.bpjs as bpjs, s.umum - r.umum as umum,
                               r.total as returns, o.received, p.settled, o.refunded
                        from s, r, o, p""")
                .param("b", branch).param("d", date).param("zone", zone.getId())
                .query((rs, i) -> {
                    long cash = rs.getLong("umum") + rs.getLong("received") - rs.getLong("settled")
                            - rs.getLong("refunded");
                    return new DayFigures(rs.getLong("n"), rs.getLong("total"), rs.getLong("bpjs"), rs.getLong("umum"),
                            rs.getLong("returns"), rs.getLong("received"), rs.getLong("settled"),
                            rs.getLong("refunded"), cash, cashCounted, cashCounted - cash);
                })
                .single();
    }

    void close(long branch, LocalDate date, DayFigures f, String note, long by, Instant at) {
        jdbc.sql("""
                        insert into day_close (branch_id, business_date, closed, transactions, total, bpjs, umum, returns,
                                               deposits_received, deposits_settled, deposits_refunded, cash_expected,
                                               cash_counted, note, closed_by, closed_at)
                        values (:b, :d, true, :n, :total, :bpjs, :umum, :returns, :received, :settled, :refunded,
                                :expected, :counted, :note, :by, :at)
                        on conflict (branch_id, business_date) do update set closed = true,
                            transactions = excluded.transactions, total = excluded.total, bpjs = excluded.bpjs,
                            umum = excluded.umum, returns = excluded.returns,
                            deposits_received = excluded.deposits_received, deposits_settled = excluded.deposits_settled,
                            deposits_refunded = excluded.deposits_refunded, cash_expected = excluded.cash_expected,
                            cash_counted = excluded.cash_counted, note = excluded.note, closed_by = excluded.closed_by,
                            closed_at = excluded.closed_at""")
                .param("b", branch).param("d", date).param("n", f.transactions()).param("total", f.total())
                .param("bpjs", f.bpjs()).param("umum", f.umum()).param("returns", f.returns())
                .param("received", f.depositsReceived()).param("settled", f.depositsSettled())
                .param("refunded", f.depositsRefunded()).param("expected", f.cashExpected())
                .param("counted", f.cashCounted()).param("note", note).param("by", by).param("at", Timestamp.from(at))
                .update();
        log(branch, date, "CLOSED", note, by, at);
    }

    void reopen(long branch, LocalDate date, String reason, long by, Instant at) {
        jdbc.sql("update day_close set closed = false where branch_id = :b and business_date = :d")
                .param("b", branch).param("d", date).update();
        log(branch, date, "REOPENED", reason, by, at);
    }

    private void log(long branch, LocalDate date, String action, String note, long by, Instant at) {
        jdbc.sql("""
                        insert into day_close_log (branch_id, business_date, action, note, by_user, at)
                        values (:b, :d, :action, :note, :by, :at)""")
                .param("b", branch).param("d", date).param("action", action).param("note", note).param("by", by)
                .param("at", Timestamp.from(at)).update();
    }
}
