package id.optikmelati.realtime;

import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ReturnKind;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.SaleStatus;
import id.optikmelati.contract.ShopEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Events of the contract as the API writes them, for tests that need no API. */
public final class TestEvents {

    public static final Instant AT = Instant.parse("2026-12-01T03:00:00Z");

    private TestEvents() {}

    public static String branchName(long branch) {
        return "Cabang " + branch;
    }

    /** Product 1000 + branch of {@code branch} went from {@code before} to {@code after} units. */
    public static ShopEvent stock(long branch, long seq, int before, int after) {
        return stockOf(branch, seq, Map.of(1000 + branch, after), before);
    }

    /** Each product of {@code levels} (id to units) went from {@code before} to its level, in one event. */
    public static ShopEvent stockOf(long branch, long seq, Map<Long, Integer> levels, int before) {
        List<Payloads.StockUpdate> updates = new TreeMap<>(levels).entrySet().stream()
                .map(l -> Payloads.StockUpdate.of(ProductType.FRAME, l.getKey(), "Frame Uji " + l.getKey(),
                        "FR-UJI-" + l.getKey(), branch, branchName(branch), before, l.getValue()))
                .toList();
        return ShopEvent.of(branch, seq, EventType.STOCK_CHANGED, AT, Payloads.StockChanged.of(AT, updates, "sale"));
    }

    /** A stock event that leaves the product well stocked. */
    public static ShopEvent stock(long branch, long seq) {
        return stock(branch, seq, 50, 49);
    }

    public static Payloads.Omset omset(long branch, long total) {
        return new Payloads.Omset(LocalDate.of(2026, 12, 1), branch, total, 0, total, 1);
    }

    public static ShopEvent sale(long branch, long seq, long total) {
        var sale = new Payloads.SaleCreated(seq, "INV-" + branch + "-" + seq, branch, branchName(branch), total,
                PaymentType.UMUM, "kasir" + branch, null, List.of(), AT, omset(branch, total));
        return ShopEvent.of(branch, seq, EventType.SALE_CREATED, AT, sale);
    }

    public static ShopEvent orderReady(long branch, long seq) {
        return ShopEvent.of(branch, seq, EventType.ORDER_READY, AT, new Payloads.OrderReady(7, "PSN-" + branch + "-7",
                branch, branchName(branch), "Ibu Sari", "Kacamata", AT));
    }

    public static ShopEvent productChanged(long branch, long seq) {
        return ShopEvent.of(branch, seq, EventType.PRODUCT_CHANGED, AT, new Payloads.ProductChanged(1000 + branch,
                "FR-UJI", null, "Frame Uji", "Uji", ProductType.FRAME, 300_000, 250_000L, true, 2, false, AT));
    }

    public static ShopEvent saleReturned(long branch, long seq) {
        return ShopEvent.of(branch, seq, EventType.SALE_RETURNED, AT, new Payloads.SaleReturned(3, seq,
                "INV-" + branch + "-" + seq, branch, branchName(branch), ReturnKind.VOID, "salah input", 250_000,
                PaymentType.UMUM, List.of(new Payloads.SaleItem(1000 + branch, "FR-UJI", "Frame Uji", 1, 250_000)),
                SaleStatus.VOIDED, "admin" + branch, AT, omset(branch, 0)));
    }

    public static ShopEvent userChanged(long branch, long seq) {
        return ShopEvent.of(branch, seq, EventType.USER_CHANGED, AT, new Payloads.UserChanged(40, "kasir-baru",
                Role.KASIR, branch, false, false, "deactivated", "admin" + branch, AT));
    }

    public static ShopEvent forecast(long branch, long seq) {
        return ShopEvent.of(branch, seq, EventType.STOCK_FORECAST, AT, new Payloads.StockForecast(branch,
                branchName(branch), 1000 + branch, "FR-UJI", "Frame Uji", 14, 2.0, 6.2, 7.0));
    }

    /** A transfer into {@code branch} from another, as it is published on {@code branch}'s stream. */
    public static ShopEvent transferChanged(long branch, long seq) {
        long from = branch == 2 ? 3 : 2;
        return ShopEvent.of(branch, seq, EventType.TRANSFER_CHANGED, AT, new Payloads.TransferChanged(7,
                "TRF-" + branch + "-20261201-001", from, branchName(from), branch, branchName(branch), "SENT",
                List.of(new Payloads.TransferLine(1000 + branch, "FR-UJI", "Frame Uji", 3, null)), null,
                "admin" + from, AT));
    }
}
