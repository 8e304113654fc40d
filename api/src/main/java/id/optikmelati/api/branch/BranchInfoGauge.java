package id.optikmelati.api.branch;

import id.optikmelati.api.ShopProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * {@code optik_branch_info{branch="3", name="Optik Melati Bekasi"} 1}: what a dashboard joins on the
 * {@code branch} label of every other metric to show a branch by its name (the label itself stays the
 * id, which never changes).
 */
@Component
class BranchInfoGauge implements SchedulingConfigurer {

    private final BranchRepository branches;
    private final Duration interval;
    private final MultiGauge info;

    BranchInfoGauge(BranchRepository branches, ShopProperties properties, MeterRegistry meters) {
        this.branches = branches;
        this.interval = properties.metrics().gaugeInterval();
        this.info = MultiGauge.builder("optik.branch.info")
                .description("1 for each branch, with its name: for dashboards to show branches by name").register(meters);
    }

    /** Every {@code optik.metrics.gauge-interval}, the first a second after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::refresh, interval, Duration.ofSeconds(1)));
    }

    void refresh() {
        info.register(branches.findAll().stream()
                .map(b -> MultiGauge.Row.of(Tags.of("branch", String.valueOf(b.getId()), "name", b.getName()), 1))
                .toList(), true);
    }
}
