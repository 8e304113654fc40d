package id.optikmelati.api.product;

import id.optikmelati.contract.ProductType;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The old system's code series: FR000123, LN000045, AC000007. */
@Component
class ProductCodes {

    private final JdbcClient jdbc;

    ProductCodes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The next free code of the type's series: its prefix and six digits, one above the highest
     * in use. The series is locked until commit, so two admins adding frames at once get two codes.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    String next(ProductType type) {
        String prefix = type.codePrefix();
        jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))").param("key", "product-code:" + prefix).query().singleRow();
        long highest = jdbc.sql("""
                        select coalesce(max(cast(substring(kode from 3) as bigint)), 0) from product
                        where kode ~ ('^' || :prefix || '[0-9]{6}$')
                        """)
                .param("prefix", prefix).query(Long.class).single();
        return String.format(Locale.ROOT, "%s%06d", prefix, highest + 1);
    }
}
