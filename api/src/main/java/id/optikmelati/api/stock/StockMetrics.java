package id.optikmelati.api.stock;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.Payloads.StockUpdate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stock as the ops and business dashboards see it: units moved by kind, alerts raised by level
 * (a product crossing into medium or low), and the number of low-stock products per branch (read
 * from the database, so every API node reports the same figure).
 */
@Component
class StockMetrics implements SchedulingConfigurer {

    private final MeterRegistry meters;
    private final JdbcClient jdbc;
    private final MultiGauge lowProducts;
    private final Duration gaugeInterval;

    StockMetrics(MeterRegistry meters, JdbcClient jdbc, ShopProperties properties) {
        this.meters = meters;
        this.jdbc = jdbc;
        this.gaugeInterval = properties.metrics().gaugeInterval();
        this.lowProducts = MultiGauge.builder("optik.stock.low.products")
                .description("Products at or below the low level (" + AlertLevel.LOW_MAX + ") per branch").register(meters);
    }

    /** Counts the movements once the transaction that made them has committed. */
    void afterCommit(long branchId, List<StockUpdate> updates, String reason) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                String branch = Long.toString(branchId);
                for (StockUpdate u : updates) {
                    int previous = u.previousStock() == null ? u.newStock() : u.previousStock();
                    String kind = switch (reason) {
                        case "sale" -> "sold";
                        case "return" -> "returned";
                        default -> u.newStock() > previous ? "restocked" : "corrected";
                    };
                    meters.counter("optik.stock.units.moved", "branch", branch, "kind", kind)
                            .increment(Math.abs(u.newStock() - previous));
                    AlertLevel before = AlertLevel.of(previous);
                    AlertLevel after = AlertLevel.of(u.newStock());
                    if (after.ordinal() < before.ordinal()) { // LOW, MEDIUM, NORMAL: a step down is an alert
                        meters.counter("optik.stock.alerts", "branch", branch, "level", after.wireName()).increment();
                    }
                }
            }
        });
    }

    /** Every {@code optik.metrics.gauge-interval}, the first a second after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refreshLowStock, gaugeInterval, Duration.ofSeconds(1)));
    }

    void refreshLowStock() {
        lowProducts.register(jdbc.sql("""
                        select b.id, count(s.product_id) as low
                        from branch b left join stock s on s.branch_id = b.id and s.quantity <= :low
                        group by b.id
                        """)
                .param("low", AlertLevel.LOW_MAX)
                .query((rs, i) -> MultiGauge.Row.of(Tags.of("branch", rs.getString("id")), rs.getLong("low")))
                .list(), true);
    }
}
