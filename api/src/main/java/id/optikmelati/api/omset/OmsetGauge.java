package id.optikmelati.api.omset;

import id.optikmelati.api.ShopProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Today's omset and transactions per branch as gauges, read from the database (every API node
 * reports the same figure, and it falls to zero at midnight in the shop's zone, as the day's
 * omset does). Revenue counters grow forever; this is the number the owners ask for.
 */
@Component
class OmsetGauge implements SchedulingConfigurer {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ShopProperties properties;
    private final MultiGauge omset;
    private final MultiGauge transactions;

    OmsetGauge(JdbcClient jdbc, Clock clock, ShopProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.properties = properties;
        this.omset = MultiGauge.builder("optik.omset.today").baseUnit("rupiah")
                .description("Omset of the current business day per branch and payment type").register(meters);
        this.transactions = MultiGauge.builder("optik.transactions.today")
                .description("Sales of the current business day per branch").register(meters);
    }

    /** Every {@code optik.metrics.gauge-interval}, the first a second after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refresh, properties.metrics().gaugeInterval(),
                Duration.ofSeconds(1)));
    }

    void refresh() {
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        record Row(String branch, String payment, long total, long count) {}
        var rows = jdbc.sql("""
                        select b.id as branch, p.payment_type,
                               coalesce((select sum(s.total) from sale s where s.branch_id = b.id
                                         and s.business_date = :today and s.payment_type = p.payment_type), 0)
                               - coalesce((select sum(r.amount) from sale_return r where r.branch_id = b.id
                                           and r.business_date = :today and r.payment_type = p.payment_type), 0)
                                 as total,
                               (select count(*) from sale s where s.branch_id = b.id and s.business_date = :today
                                and s.payment_type = p.payment_type) as count
                        from branch b cross join (values ('BPJS'), ('UMUM')) as p(payment_type)
                        """)
                .param("today", today)
                .query((rs, i) -> new Row(rs.getString("branch"), rs.getString("payment_type"), rs.getLong("total"),
                        rs.getLong("count")))
                .list();
        omset.register(rows.stream().map(r -> MultiGauge.Row.of(
                Tags.of("branch", r.branch(), "payment_type", r.payment()), r.total())).toList(), true);
        transactions.register(rows.stream().map(r -> MultiGauge.Row.of(
                Tags.of("branch", r.branch(), "payment_type", r.payment()), r.count())).toList(), true);
    }
}
