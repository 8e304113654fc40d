package id.optikmelati.api.order;

import id.optikmelati.api.ShopProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Looks for orders whose promised date has passed, every {@code optik.orders.overdue-check}. */
@Component
class OverdueOrders implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OverdueOrders.class);

    private final OrderService orders;
    private final Duration every;

    OverdueOrders(OrderService orders, ShopProperties properties) {
        this.orders = orders;
        this.every = properties.orders().overdueCheck();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::check, every, every));
    }

    void check() {
        try {
            int fell = orders.announceOverdue();
            if (fell > 0) {
                log.info("{} orders fell overdue", fell);
            }
        } catch (RuntimeException e) {
            log.warn("could not look for overdue orders; will try again in {}", every, e);
        }
    }
}
