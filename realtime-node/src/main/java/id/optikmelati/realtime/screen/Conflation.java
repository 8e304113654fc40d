package id.optikmelati.realtime.screen;

import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopEvent;
import java.util.List;

/**
 * Which messages only carry a latest value, so that a screen that reads too slowly may skip an
 * older one once a newer one for the same thing waits behind it: a product's stock level on the
 * stock screens, a branch's omset on the kasir's omset card. Everything else (new sales, returns,
 * orders ready, critical stock, catalogue and account changes) is a notification or a row of a
 * list, and is never skipped.
 */
public final class Conflation {

    /** What a latest-value message is the latest value of. */
    public record Key(long branch, long product) {}

    /** The key of a branch's omset figure (products have positive ids). */
    static final long OMSET = 0;

    private Conflation() {}

    /**
     * What a message of this event on this endpoint is the latest value of: a message may skip only
     * once newer ones wait for all of its keys. Empty: never skipped.
     */
    static List<Key> keysOf(ShopEvent e, Endpoint endpoint) {
        return switch (e.type()) {
            case STOCK_CHANGED -> endpoint == Endpoint.STOCK_UPDATES || endpoint == Endpoint.DASHBOARD
                    ? e.dataAs(Payloads.StockChanged.class).updates().stream()
                            .map(u -> new Key(e.branchId(), u.productId())).distinct().toList()
                    : List.of();
            // on the dashboard a sale is also a row of the latest sales: only the omset card conflates
            case SALE_CREATED, SALE_RETURNED -> endpoint == Endpoint.OMSET_KASIR
                    ? List.of(new Key(e.branchId(), OMSET)) : List.of();
            default -> List.of();
        };
    }
}
