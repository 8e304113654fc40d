package id.optikmelati.api.stock;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stock per branch, changed only by single conditional UPDATEs: the row lock and the
 * {@code quantity >= n} condition make concurrent sales of the last units safe without any
 * read-then-write race, and the CHECK constraint keeps stock from ever going below zero.
 */
@Component
public class StockLedger {

    private final JdbcClient jdbc;

    StockLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stock movement: what it was and what it is now. */
    public record Movement(long productId, int previous, int current) {}

    /** Takes {@code quantity} units if that many are there; empty (nothing changed) otherwise. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Movement> take(long branchId, long productId, int quantity) {
        return jdbc.sql("""
                        update stock set quantity = quantity - :qty, updated_at = now()
                        where branch_id = :branch and product_id = :product and quantity >= :qty
                        returning quantity
                        """)
                .param("qty", quantity).param("branch", branchId).param("product", productId)
                .query(Integer.class).optional()
                .map(after -> new Movement(productId, after + quantity, after));
    }

    /** Adds (or, negative, removes) units; empty if the product has no stock row here or it would go below zero. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Movement> adjust(long branchId, long productId, int delta) {
        return jdbc.sql("""
                        update stock set quantity = quantity + :delta, updated_at = now()
                        where branch_id = :branch and product_id = :product and quantity + :delta >= 0
                        returning quantity
                        """)
                .param("delta", delta).param("branch", branchId).param("product", productId)
                .query(Integer.class).optional()
                .map(after -> new Movement(productId, after - delta, after));
    }

    /** A new product's stock: 0 units in every branch. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void openEverywhere(long productId) {
        jdbc.sql("insert into stock (product_id, branch_id, quantity) select :product, id, 0 from branch")
                .param("product", productId).update();
    }

    public Optional<Integer> quantity(long branchId, long productId) {
        return jdbc.sql("select quantity from stock where branch_id = :branch and product_id = :product")
                .param("branch", branchId).param("product", productId)
                .query(Integer.class).optional();
    }
}
