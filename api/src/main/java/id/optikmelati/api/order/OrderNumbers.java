package id.optikmelati.api.order;

import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The next order number of a branch's business day, in the caller's transaction. */
@Repository
class OrderNumbers {

    private final JdbcClient jdbc;

    OrderNumbers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** PSN-1-20261202-007: short enough to read out at the counter, and sorted by day. */
    String next(long branch, LocalDate day) {
        int n = jdbc.sql("""
                        insert into order_number (branch_id, business_date, last_number) values (:branch, :day, 1)
                        on conflict (branch_id, business_date)
                        do update set last_number = order_number.last_number + 1
                        returning last_number""")
                .param("branch", branch).param("day", day).query(Integer.class).single();
        return String.format("PSN-%d-%s-%03d", branch, day.toString().replace("-", ""), n);
    }
}
