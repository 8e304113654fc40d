package id.optikmelati.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * What a screen receives on its stream besides the payloads as published ({@code stock}, {@code
 * omset}): one record per SSE message, documented in docs/event-contract.md. Messages carry codes
 * and fields, never sentences: each screen renders its text in its own language.
 */
public final class ScreenMessages {

    private ScreenMessages() {}

    /** SSE event names. */
    public static final String STOCK = "stock";
    public static final String OMSET = "omset";
    public static final String SALE = "sale";
    public static final String NOTIFICATION = "notification";
    public static final String RESET = "reset";
    public static final String RECONNECT = "reconnect";
    public static final String TOKEN_EXPIRED = "token-expired";
    public static final String PRODUCT = "product";
    public static final String SALE_RETURN = "sale-return";
    public static final String USER = "user";
    public static final String TRANSFER = "transfer";
    public static final String ORDER = "order";
    public static final String DAY = "day";

    /** {@code sale} on the dashboard: the sale, the branch's omset after it, and for admins their notification. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sale(Payloads.SaleCreated sale, Payloads.Omset omset, NewSale notification) {}

    /** {@code sale-return} on the dashboard: the void or return, the omset after it, and for admins their notification. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SaleReturn(Payloads.SaleReturned saleReturn, Payloads.Omset omset, ReturnNotice notification) {}

    /** How a screen shows a notification. */
    public enum Level {
        INFO, SUCCESS, WARNING, DANGER;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code notification}: something staff should notice; {@code kind} says which record it is. */
    @JsonPropertyOrder({"kind", "level", "branchId", "branchName"})
    public sealed interface Notification permits NewSale, ReturnNotice, OrderReady, StockCritical, StockForecast {
        @JsonProperty("kind")
        String kind();

        @JsonProperty("level")
        Level level();

        long branchId();

        String branchName();
    }

    /** A sale was made (admins only). */
    public record NewSale(long branchId, String branchName, long saleId, String invoiceNo, long total,
            PaymentType paymentType, String cashier) implements Notification {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return "sale";
        }

        @Override
        @JsonProperty("level")
        public Level level() {
            return Level.INFO;
        }
    }

    /** A sale was voided or some of its items returned (admins only). */
    public record ReturnNotice(long branchId, String branchName, long saleId, String invoiceNo, ReturnKind returnKind,
            long amount, String returnedBy) implements Notification {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return "sale_returned";
        }

        @Override
        @JsonProperty("level")
        public Level level() {
            return Level.WARNING;
        }
    }

    /** A customer's order can be picked up. */
    public record OrderReady(long branchId, String branchName, long orderId, String orderNo, String customerName)
            implements Notification {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return "order_ready";
        }

        @Override
        @JsonProperty("level")
        public Level level() {
            return Level.SUCCESS;
        }
    }

    /** Products that just fell to low stock ({@link AlertLevel#LOW}). */
    public record StockCritical(long branchId, String branchName, List<Payloads.StockUpdate> products)
            implements Notification {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return "stock_critical";
        }

        @Override
        @JsonProperty("level")
        public Level level() {
            return Level.DANGER;
        }
    }

    /** A product will run out within the reorder lead time; {@code days} is that time rounded up, at least 1. */
    public record StockForecast(long branchId, String branchName, long productId, String kode, String productName,
            int stock, double daysUntilStockout, long days) implements Notification {
        @Override
        @JsonProperty("kind")
        public String kind() {
            return "stock_forecast";
        }

        @Override
        @JsonProperty("level")
        public Level level() {
            return Level.WARNING;
        }

        public static StockForecast of(Payloads.StockForecast f) {
            return new StockForecast(f.branchId(), f.branchName(), f.productId(), f.kode(), f.productName(), f.stock(),
                    f.daysUntilStockout(), Math.max(1, (long) Math.ceil(f.daysUntilStockout())));
        }
    }

    /** Why a stream starts over from a snapshot instead of replaying. */
    public enum ResetReason {
        /** The Last-Event-ID is not a cursor. */
        MALFORMED_ID,
        /** History no longer reaches back to the cursor. */
        HISTORY_TRIMMED,
        /** More events were missed than a replay may carry. */
        TOO_FAR_BEHIND,
        /**
         * The cursor is past anything the branch has published: a database restored to an earlier
         * point, or a forged id. Without a reset the screen would skip every event up to it.
         */
        AHEAD_OF_HISTORY;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * {@code reset}: the screen rebuilds its state from these snapshots (and reloads the tables it
     * shows); the message's id is the new cursor.
     */
    public record Reset(ResetReason reason, List<BranchState> branches) {}

    /**
     * A branch's state at {@code seq} (absent before the store has any snapshot of the branch):
     * today's omset and its products at low stock.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BranchState(long branchId, Long seq, Payloads.Omset omset, List<Payloads.StockUpdate> lowStock) {}

    /** Why the node ends a stream and asks the screen to come back, elsewhere if it can. */
    public enum ReconnectReason {
        /** The node is shutting down (a deploy, a scale-in). */
        SHUTDOWN,
        /** The node could not start the stream (Redis unreachable). */
        UNAVAILABLE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code reconnect}: reconnect after the message's jittered {@code retry:}, with the last id. */
    public record Reconnect(ReconnectReason reason) {}

    /**
     * {@code token-expired}: the stream's token is no longer good. It ran out ({@code token-expired}:
     * renew it, then reconnect with the last id), or its account or session was ended since
     * ({@code token-revoked}: log in again; a renewal would be refused).
     */
    public record TokenExpired(String reason, String action) {
        public static TokenExpired expired() {
            return new TokenExpired("token-expired", "refresh-and-reconnect");
        }

        public static TokenExpired revoked() {
            return new TokenExpired("token-revoked", "log-in-again");
        }
    }
}
