package id.optikmelati.api.sale;

import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.ReturnKind;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The voids and returns as booked: one row per void or return, on the business day it happens and
 * in its sale's payment type, and a row per line it took back.
 */
@Component
class SaleReturnRecords {

    private final JdbcClient jdbc;

    SaleReturnRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A void or return one user already made under an idempotency key. */
    record Earlier(long returnId, long saleId, String requestHash) {}

    Optional<Earlier> byKey(long userId, String idempotencyKey) {
        return jdbc.sql("select id, sale_id, request_hash from sale_return where created_by = :u and idempotency_key = :k")
                .param("u", userId).param("k", idempotencyKey)
                .query((rs, i) -> new Earlier(rs.getLong("id"), rs.getLong("sale_id"), rs.getString("request_hash")))
                .optional();
    }

    /** Books a void or return; its id. */
    long book(long saleId, long branchId, ReturnKind kind, String reason, long amount, PaymentType paymentType,
            LocalDate businessDate, long userId, Instant at, String idempotencyKey, String requestHash) {
        return jdbc.sql("""
                        insert into sale_return (sale_id, branch_id, kind, reason, amount, payment_type, business_date,
                                                 created_by, created_at, idempotency_key, request_hash)
                        values (:sale, :branch, :kind, :reason, :amount, :payment, :day, :by, :at, :key, :hash)
                        returning id
                        """)
                .param("sale", saleId).param("branch", branchId).param("kind", kind.name())
                .param("reason", reason).param("amount", amount).param("payment", paymentType.name())
                .param("day", businessDate).param("by", userId).param("at", Timestamp.from(at))
                .param("key", idempotencyKey).param("hash", requestHash)
                .query(Long.class).single();
    }

    /** A line the void or return took back, at the price it was sold for. */
    void bookLine(long returnId, long saleItemId, long productId, int quantity, long unitPrice) {
        jdbc.sql("""
                        insert into sale_return_item (return_id, sale_item_id, product_id, quantity, unit_price)
                        values (:r, :item, :product, :qty, :price)
                        """)
                .param("r", returnId).param("item", saleItemId).param("product", productId)
                .param("qty", quantity).param("price", unitPrice).update();
    }
}
