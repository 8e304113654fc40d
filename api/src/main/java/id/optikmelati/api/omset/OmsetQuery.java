package id.optikmelati.api.omset;

import id.optikmelati.contract.Payloads.Omset;
import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A branch's omset for a business day: its sales that day, less the voids and returns booked that
 * day (in the payment type of the sale they take back), as shops book them; a return on a later day
 * is a negative line on that day, never a change to the day of the sale. {@code transactions}
 * counts the receipts issued that day.
 */
@Component
public class OmsetQuery {

    private final JdbcClient jdbc;

    OmsetQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Omset of(long branchId, LocalDate date) {
        return jdbc.sql("""
                        select s.total - r.total as total, s.bpjs - r.bpjs as bpjs, s.umum - r.umum as umum,
                               s.transactions
                        from (select coalesce(sum(total), 0) as total,
                                     coalesce(sum(total) filter (where payment_type = 'BPJS'), 0) as bpjs,
                                     coalesce(sum(total) filter (where payment_type = 'UMUM'), 0) as umum,
                                     count(*) as transactions
                              from sale where branch_id = :branch and business_date = :date) s,
                             (select coalesce(sum(amount), 0) as total,
                                     coalesce(sum(amount) filter (where payment_type = 'BPJS'), 0) as bpjs,
                                     coalesce(sum(amount) filter (where payment_type = 'UMUM'), 0) as umum
                              from sale_return where branch_id = :branch and business_date = :date) r
                        """)
                .param("branch", branchId)
                .param("date", date)
                .query((rs, i) -> new Omset(date, branchId, rs.getLong("total"), rs.getLong("bpjs"),
                        rs.getLong("umum"), rs.getLong("transactions")))
                .single();
    }
}
