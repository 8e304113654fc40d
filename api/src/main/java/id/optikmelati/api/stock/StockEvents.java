package id.optikmelati.api.stock;

import id.optikmelati.api.branch.Branch;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.product.Product;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads.StockChanged;
import id.optikmelati.contract.Payloads.StockUpdate;
import id.optikmelati.contract.Payloads;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
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
    private final StockForecast forecast;

    StockEvents(OutboxWriter outbox, Clock clock, StockMetrics metrics, JdbcClient jdbc, StockForecast forecast) {
        this.forecast = forecast;
        this.outbox = outbox;
        this.clock = clock;
        this.metrics = metrics;
        this.jdbc = jdbc;
    }

    public void changed(Branch branch, List<StockLedger.Movement> movements, Map<Long, Product> products,
            String reason) {
        changed(branch, movements, products, reason, null);
    }

    /**
     * @param reason {@code sale}, {@code return}, {@code restock}, {@code correction}, {@code transfer-out},
     *     {@code transfer-in}, {@code transfer-cancelled}, {@code order-reserved} or {@code order-released}
     * @param reference what moved the stock (a delivery note, a transfer number), kept in the history
     */
    public void changed(Branch branch, List<StockLedger.Movement> movements, Map<Long, Product> products,
            String reason, String reference) {
        List<StockUpdate> updates = movements.stream().map(m -> {
            Product p = products.get(m.productId());
            return StockUpdate.of(p.getType(), p.getId(), p.getName(), p.getKode(), branch.getId(),
                    branch.getName(), m.previous(), m.current());
        }).toList();
        recordHistory(branch.getId(), movements, reason, reference);
        outbox.append(branch.getId(), EventType.STOCK_CHANGED,
                () -> StockChanged.of(clock.instant(), updates, reason, reference));
        if ("sale".equals(reason)) {
            warnOfStockouts(branch, movements, products);
        }
        metrics.afterCommit(branch.getId(), updates, reason);
    }

    /**
     * A sale that brings a product's expected stockout inside the reorder lead time (at its recent
     * sales rate) raises one {@code stock.forecast}: once, when it crosses, and only while the
     * product is not low yet (low stock has its own alert).
     */
    private void warnOfStockouts(Branch branch, List<StockLedger.Movement> movements, Map<Long, Product> products) {
        Map<Long, Double> rates = forecast.rates(branch.getId(),
                movements.stream().map(StockLedger.Movement::productId).toList());
        double lead = forecast.leadTimeDays();
        for (StockLedger.Movement m : movements) {
            double rate = rates.getOrDefault(m.productId(), 0.0);
            if (rate <= 0 || AlertLevel.of(m.current()) == AlertLevel.LOW) {
                continue;
            }
            double before = m.previous() / rate;
            double after = m.current() / rate;
            if (after < lead && before >= lead) {
                Product p = products.get(m.productId());
                outbox.append(branch.getId(), EventType.STOCK_FORECAST,
                        () -> new Payloads.StockForecast(branch.getId(), branch.getName(), p.getId(), p.getKode(),
                                p.getName(), m.current(), StockForecast.round(rate), StockForecast.round(after), lead));
            }
        }
    }

    private void recordHistory(long branchId, List<StockLedger.Movement> movements, String reason, String reference) {
        Instant now = clock.instant();
        for (StockLedger.Movement m : movements) {
            int delta = m.current() - m.previous();
            if (delta == 0) {
                continue;
            }
            String kind = switch (reason) {
                case "sale" -> "SOLD";
                case "return" -> "RETURNED";
                case "transfer-out" -> "TRANSFERRED_OUT";
                case "transfer-in", "transfer-cancelled" -> "TRANSFERRED_IN";
                case "order-reserved" -> "RESERVED";
                case "order-released" -> "RELEASED";
                default -> delta > 0 ? "RESTOCKED" : "CORRECTED";
            };
            jdbc.sql("""
                            insert into stock_movement (product_id, branch_id, kind, delta, quantity_after, at, reference)
                            values (:product, :branch, :kind, :delta, :after, :at, :reference)
                            """)
                    .param("product", m.productId()).param("branch", branchId).param("kind", kind)
                    .param("delta", delta).param("after", m.current())
                    .param("at", Timestamp.from(now))
                    .param("reference", reference)
                    .update();
        }
    }
}
