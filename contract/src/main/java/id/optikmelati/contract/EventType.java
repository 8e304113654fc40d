package id.optikmelati.contract;

import java.util.Arrays;
import java.util.Optional;

/** The events the write path publishes; {@link #wireName()} is what travels in JSON. */
public enum EventType {
    SALE_CREATED("sale.created"),
    STOCK_CHANGED("stock.changed"),
    ORDER_READY("order.ready"),
    /** A product expected to run out within the reorder lead time, before it is low. */
    STOCK_FORECAST("stock.forecast"),
    /** A product was added to the catalogue or edited (price, name, active); on every branch's stream. */
    PRODUCT_CHANGED("product.changed"),
    /** A sale was voided or some of its items returned. */
    SALE_RETURNED("sale.returned"),
    /** A user account was created or changed; on its branch's stream (a super admin's: on every branch's). */
    USER_CHANGED("user.changed"),
    /** A transfer of stock between branches moved a step; on both branches' streams. */
    TRANSFER_CHANGED("transfer.changed"),
    /** A glasses order was made, moved a status, or fell overdue; on its branch's stream. */
    ORDER_CHANGED("order.changed"),
    /** A branch's business day was closed (its figures fixed) or reopened; on its branch's stream. */
    DAY_CHANGED("day.changed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
