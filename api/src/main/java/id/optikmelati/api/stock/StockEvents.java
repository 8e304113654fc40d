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
import org.springframework.stereotype.Component;

/** Builds and writes the {@code stock.changed} event of a sale or an adjustment. */
@Component
public class StockEvents {

    private final OutboxWriter outbox;
    private final Clock clock;
    private final StockMetrics metrics;

    StockEvents(OutboxWriter outbox, Clock clock, StockMetrics metrics) {
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
    }

    public void changed(Branch branch, List<StockLedger.Movement> movements, Map<Long, Product> products,
            String reason) {
        List<StockUpdate> updates = movements.stream().map(m -> {
            Product p = products.get(m.productId());
            return StockUpdate.of(p.getType(), p.getId(), p.getName(), p.getKode(), branch.getId(),
                    branch.getName(), m.previous(), m.current());
        }).toList();
        long seq = outbox.nextSeq(branch.getId());
        outbox.append(branch.getId(), seq, EventType.STOCK_CHANGED, StockChanged.of(clock.instant(), updates, reason));
        metrics.afterCommit(branch.getId(), updates, reason);
    }
}
