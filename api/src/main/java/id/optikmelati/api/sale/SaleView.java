package id.optikmelati.api.sale;

import id.optikmelati.contract.PaymentType;
import java.time.Instant;
import java.util.List;

/** A sale as the API returns it. */
public record SaleView(long id, String invoiceNo, long branchId, String cashier, PaymentType paymentType,
        String customerName, long total, Instant createdAt, List<Item> items) {

    public record Item(long productId, String kode, String name, int quantity, long unitPrice) {}
}
