package id.optikmelati.api.branch;

import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The next number of a kind of document in a branch's business day, in the caller's transaction. */
@Repository
public class DocumentNumbers {

    private final JdbcClient jdbc;

    DocumentNumbers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code PSN-1-20261202-007}: short enough to read out at the counter, and sorted by day. */
    public String next(String prefix, long branch, LocalDate day) {
        int n = jdbc.sql("""
                        insert into document_number (prefix, branch_id, business_date, last_number)
                        values (:prefix, :branch, :day, 1)
                        on conflict (prefix, branch_id, business_date)
                        do update set last_number = document_number.last_number + 1
                        returning last_number""")
                .param("prefix", prefix).param("branch", branch).param("day", day).query(Integer.class).single();
        return String.format("%s-%d-%s-%03d", prefix, branch, day.toString().replace("-", ""), n);
    }
}
