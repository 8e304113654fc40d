package id.optikmelati.contract;

/** Where a sale stands after its voids and returns. */
public enum SaleStatus {
    COMPLETED,
    /** Some of its items were returned. */
    PARTLY_RETURNED,
    /** Voided, or every item returned: it counts for nothing any more. */
    VOIDED
}
