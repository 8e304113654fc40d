package id.optikmelati.api.order;

import java.util.EnumSet;
import java.util.Set;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.support.DefaultMessageSourceResolvable;

/**
 * A glasses order's way: ordered (its frame and lenses reserved), at the lab, ready for pickup, then
 * picked up (paid in full, booked as a sale) or cancelled (the reservation returned). The lab may be
 * skipped (lenses edged in the shop); an order may be cancelled until it is picked up.
 */
public enum OrderStatus {
    ORDERED,
    AT_LAB,
    READY,
    PICKED_UP,
    CANCELLED;

    /** Past its promised date in one of these, an order is overdue. */
    public static final Set<OrderStatus> NOT_READY = EnumSet.of(ORDERED, AT_LAB);

    /** Its name on screens and in problem details, from the message bundle. */
    public MessageSourceResolvable label() {
        return new DefaultMessageSourceResolvable("ui.orders.status." + name());
    }

    public boolean mayMoveTo(OrderStatus next) {
        return switch (this) {
            case ORDERED -> next == AT_LAB || next == READY || next == CANCELLED;
            case AT_LAB -> next == READY || next == CANCELLED;
            case READY -> next == PICKED_UP || next == CANCELLED;
            case PICKED_UP, CANCELLED -> false;
        };
    }
}
