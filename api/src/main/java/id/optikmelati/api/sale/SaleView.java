package id.optikmelati.api.sale;

import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.SaleStatus;
import java.time.Instant;
import java.util.List;

/** A sale as the API returns it; {@code status} says whether it was voided or partly returned. */
public record SaleView(long id, String invoiceNo, long branchId, String cashier, PaymentType paymentType,
        String customerName, long total, Instant createdAt, SaleStatus status, List<Item> items) {

    public record Item(long productId, String kode, String name, int quantity, long unitPrice) {}
}
