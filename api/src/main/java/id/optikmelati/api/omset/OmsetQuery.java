package id.optikmelati.api.omset;

import id.optikmelati.contract.Payloads.Omset;
import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A branch's omset for a business day, summed from its sales. */
@Component
public class OmsetQuery {

    private final JdbcClient jdbc;

    OmsetQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Omset of(long branchId, LocalDate date) {
        return jdbc.sql("""
                        select coalesce(sum(total), 0) as total,
                               coalesce(sum(total) filter (where payment_type = 'BPJS'), 0) as bpjs,
                               coalesce(sum(total) filter (where payment_type = 'UMUM'), 0) as umum,
                               count(*) as transactions
                        from sale where branch_id = :branch and business_date = :date
                        """)
                .param("branch", branchId)
                .param("date", date)
                .query((rs, i) -> new Omset(date, branchId, rs.getLong("total"), rs.getLong("bpjs"),
                        rs.getLong("umum"), rs.getLong("transactions")))
                .single();
    }
}
