package id.optikmelati.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The payload of each {@link EventType}; documented in docs/event-contract.md. */
public final class Payloads {

    private Payloads() {}

    /** A branch's revenue ("omset") for one business day. Amounts are whole rupiah. */
    public record Omset(LocalDate date, long branchId, long total, long bpjs, long umum, long transactions) {
        public static Omset zero(LocalDate date, long branchId) {
            return new Omset(date, branchId, 0, 0, 0, 0);
        }
    }

    public record SaleItem(long productId, String kode, String productName, int quantity, long unitPrice) {}

    /** {@code sale.created}: the sale and the branch's omset for the day after it. */
    public record SaleCreated(
            long saleId,
            String invoiceNo,
            long branchId,
            String branchName,
            long total,
            PaymentType paymentType,
            String cashier,
            @JsonInclude(JsonInclude.Include.NON_NULL) String customerName,
            List<SaleItem> items,
            Instant createdAt,
            Omset omset) {}

    /**
     * One product's new stock, in the field names of the shop's old system; the levels are {@link
     * AlertLevel}'s, so screens show them as they come and never apply thresholds of their own.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StockUpdate(
            String type,
            @JsonProperty("product_type") String productType,
            @JsonProperty("product_id") long productId,
            @JsonProperty("product_name") String productName,
            @JsonProperty("new_stock") int newStock,
            @JsonProperty("previous_stock") Integer previousStock,
            String kode,
            @JsonProperty("branch_id") long branchId,
            @JsonProperty("branch_name") String branchName,
            @JsonProperty("alert_level") String alertLevel,
            @JsonProperty("previous_alert_level") String previousAlertLevel) {

        public static StockUpdate of(
                ProductType productType, long productId, String productName, String kode,
                long branchId, String branchName, int previousStock, int newStock) {
            return new StockUpdate(productType.stockUpdateType(), productType.oldSystemName(), productId,
                    productName, newStock, previousStock, kode, branchId, branchName,
                    AlertLevel.of(newStock).wireName(), AlertLevel.of(previousStock).wireName());
        }

        /** Whether this change took the product into the low band (a snapshot's entry never did). */
        public boolean becameCritical() {
            return previousStock != null && AlertLevel.becameCritical(previousStock, newStock);
        }
    }

    public record StockSummary(
            @JsonProperty("frames_updated") int framesUpdated,
            @JsonProperty("lensas_updated") int lensasUpdated,
            @JsonProperty("aksesoris_updated") int aksesorisUpdated) {}

    /** {@code stock.changed}: one per sale or stock adjustment, in the old system's shape. */
    public record StockChanged(
            Instant timestamp,
            @JsonProperty("total_updates") int totalUpdates,
            @JsonProperty("low_stock_alerts") int lowStockAlerts,
            @JsonProperty("medium_stock_alerts") int mediumStockAlerts,
            List<StockUpdate> updates,
            StockSummary summary,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reference) {

        public static StockChanged of(Instant timestamp, List<StockUpdate> updates, String reason) {
            return of(timestamp, updates, reason, null);
        }

        /** @param reference what moved the stock, for a delivery or a transfer: its note or number */
        public static StockChanged of(Instant timestamp, List<StockUpdate> updates, String reason, String reference) {
            int low = 0;
            int medium = 0;
            int frames = 0;
            int lenses = 0;
            int accessories = 0;
            for (StockUpdate u : updates) {
                if (AlertLevel.LOW.wireName().equals(u.alertLevel())) {
                    low++;
                } else if (AlertLevel.MEDIUM.wireName().equals(u.alertLevel())) {
                    medium++;
                }
                if (ProductType.FRAME.stockUpdateType().equals(u.type())) {
                    frames++;
                } else if (ProductType.LENS.stockUpdateType().equals(u.type())) {
                    lenses++;
                } else {
                    accessories++;
                }
            }
            return new StockChanged(timestamp, updates.size(), low, medium, List.copyOf(updates),
                    new StockSummary(frames, lenses, accessories), reason, reference);
        }
    }

    /**
     * {@code day.changed}: a branch's business day was closed by an admin (its figures fixed: the Z
     * report) or reopened. Published on its branch's stream. Money in whole rupiah.
     *
     * @param figures the day's figures as fixed by the close; null when reopened
     */
    public record DayChanged(
            long branchId,
            String branchName,
            LocalDate date,
            boolean closed,
            @JsonInclude(JsonInclude.Include.NON_NULL) DayFigures figures,
            String by,
            Instant at) {}

    /**
     * A business day's figures: its sales less its voids and returns (as the omset counts them), and
     * the cash a drawer should hold: UMUM sales, plus deposits taken that day, less the deposits of
     * orders picked up with UMUM that day (taken before) and the deposits given back.
     */
    public record DayFigures(
            long transactions,
            long total,
            long bpjs,
            long umum,
            long returns,
            long depositsReceived,
            long depositsSettled,
            long depositsRefunded,
            long cashExpected,
            long cashCounted,
            long difference) {}

    /**
     * {@code order.changed}: a glasses order was made, moved to another status, or fell overdue (past
     * its promised date and not ready). Published on its branch's stream. Money in whole rupiah.
     *
     * @param status {@code ORDERED}, {@code AT_LAB}, {@code READY}, {@code PICKED_UP} or {@code CANCELLED}
     * @param overdueOrders the branch's overdue orders after this change (the navbar's count)
     * @param by the user who made this change; null when the order fell overdue by itself
     */
    public record OrderChanged(
            long orderId,
            String orderNo,
            long branchId,
            String branchName,
            String customerName,
            String status,
            LocalDate promisedDate,
            boolean overdue,
            long total,
            long deposit,
            long balance,
            int overdueOrders,
            @JsonInclude(JsonInclude.Include.NON_NULL) String by,
            Instant at) {}

    /**
     * {@code transfer.changed}: a transfer of stock between two branches was asked for, sent,
     * received or cancelled. Published on both branches' streams.
     *
     * @param status {@code REQUESTED}, {@code SENT}, {@code RECEIVED} or {@code CANCELLED}
     * @param by the user who made this step
     */
    public record TransferChanged(
            long transferId,
            String transferNo,
            long fromBranchId,
            String fromBranchName,
            long toBranchId,
            String toBranchName,
            String status,
            List<TransferLine> items,
            @JsonInclude(JsonInclude.Include.NON_NULL) String note,
            String by,
            Instant at) {}

    /** One product of a transfer; {@code received} once it arrived (less than {@code quantity}: short). */
    public record TransferLine(long productId, String kode, String productName, int quantity,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer received) {}

    /** {@code order.ready}: a customer's order can be picked up. */
    public record OrderReady(long orderId, String orderNo, long branchId, String branchName,
            String customerName, String description, Instant readyAt) {}

    /**
     * {@code product.changed}: a product was added or edited. Published on every branch's stream (a
     * product is the chain's; its stock per branch travels in {@code stock.changed}).
     *
     * @param previousPrice the price before this change; null for a new product
     * @param created whether the product is new (its stock is 0 in every branch)
     */
    public record ProductChanged(
            long productId,
            String kode,
            @JsonInclude(JsonInclude.Include.NON_NULL) String barcode,
            String name,
            String brand,
            ProductType type,
            long price,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long previousPrice,
            boolean active,
            long version,
            boolean created,
            Instant changedAt) {}

    /**
     * {@code sale.returned}: a sale was voided or some of its items returned; their stock is back
     * (a {@code stock.changed} follows), and the amount is booked against the omset of the day it
     * happens, in the sale's payment type.
     *
     * @param items what came back: quantities returned now, at the price they were sold for
     * @param status the sale's status after this
     * @param omset the branch's omset for the day of the return, after it
     */
    public record SaleReturned(
            long returnId,
            long saleId,
            String invoiceNo,
            long branchId,
            String branchName,
            ReturnKind kind,
            String reason,
            long amount,
            PaymentType paymentType,
            List<SaleItem> items,
            SaleStatus status,
            String returnedBy,
            Instant returnedAt,
            Omset omset) {}

    /**
     * {@code user.changed}: an account was created or changed. Never a password.
     *
     * @param change what happened: created, updated, deactivated, reactivated, password-reset
     */
    public record UserChanged(
            long userId,
            String username,
            Role role,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long branchId,
            boolean active,
            boolean mustChangePassword,
            String change,
            String changedBy,
            Instant changedAt) {}

    /**
     * {@code stock.forecast}: at its recent sales rate a product will run out within the reorder lead
     * time ("akan habis dalam N hari"), while it is not yet low.
     */
    public record StockForecast(long branchId, String branchName, long productId, String kode, String productName,
            int stock, double dailyRate, double daysUntilStockout, double leadTimeDays) {}
}
