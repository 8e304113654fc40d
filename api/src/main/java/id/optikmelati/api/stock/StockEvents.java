package id.optikmelati.api.stock;

import id.optikmelati.api.branch.Branch;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.product.Product;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads.StockChanged;
import id.optikmelati.contract.Payloads.StockUpdate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Everything a stock change leaves behind, in its transaction: the {@code stock.changed} event and
 * the movement history the reports read.
 */
@Component
public class StockEvents {

    private final OutboxWriter outbox;
    private final Clock clock;
    private final StockMetrics metrics;
    private final JdbcClient jdbc;

    StockEvents(OutboxWriter outbox, Clock clock, StockMetrics metrics, JdbcClient jdbc) {
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
        this.jdbc = jdbc;
    }

    public void changed(Branch branch, List<StockLedger.Movement> movements, Map<Long, Product> products,
            String reason) {
        List<StockUpdate> updates = movements.stream().map(m -> {
            Product p = products.get(m.productId());
            return StockUpdate.of(p.getType(), p.getId(), p.getName(), p.getKode(), branch.getId(),
                    branch.getName(), m.previous(), m.current());
        }).toList();
        recordHistory(branch.getId(), movements, reason);
        long seq = outbox.nextSeq(branch.getId());
        outbox.append(branch.getId(), seq, EventType.STOCK_CHANGED, StockChanged.of(clock.instant(), updates, reason));
        metrics.afterCommit(branch.getId(), updates, reason);
    }

    private void recordHistory(long branchId, List<StockLedger.Movement> movements, String reason) {
        java.time.Instant now = clock.instant();
        for (StockLedger.Movement m : movements) {
            int delta = m.current() - m.previous();
            if (delta == 0) {
                continue;
            }
            String kind = "sale".equals(reason) ? "SOLD" : delta > 0 ? "RESTOCKED" : "CORRECTED";
            jdbc.sql("""
                            insert into stock_movement (product_id, branch_id, kind, delta, quantity_after, at)
                            values (:product, :branch, :kind, :delta, :after, :at)
                            """)
                    .param("product", m.productId()).param("branch", branchId).param("kind", kind)
                    .param("delta", delta).param("after", m.current())
                    .param("at", java.sql.Timestamp.from(now))
                    .update();
        }
    }
}
