package id.optikmelati.api.order;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A branch's overdue orders: the navbar's count, as a screen starts from it. */
@Component
public class OverdueCount {

    private final OrderRepository orders;

    OverdueCount(OrderRepository orders) {
        this.orders = orders;
    }

    @Transactional(readOnly = true)
    public int of(long branch) {
        return orders.countOverdue(branch, OrderStatus.NOT_READY);
    }
}
