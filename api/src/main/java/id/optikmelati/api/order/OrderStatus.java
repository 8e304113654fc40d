package id.optikmelati.api.order;

/** A customer order (e.g. glasses being assembled): in progress, then ready for pickup, then picked up. */
public enum OrderStatus {
    IN_PROGRESS,
    READY,
    PICKED_UP
}
