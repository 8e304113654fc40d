package id.optikmelati.api.sale;

import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.SaleStatus;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

@Entity
@Table(name = "sale")
public class Sale {

    /** Taken from sale_id_seq before the sale is built, so the invoice number can carry it. */
    @Id
    private Long id;

    @Column(name = "invoice_no", nullable = false, unique = true)
    private String invoiceNo;

    @Column(name = "branch_id", nullable = false)
    private long branchId;

    @Column(name = "cashier_id", nullable = false)
    private long cashierId;

    @Enumerated(EnumType.STRING)
    @Column(name = "payment_type", nullable = false)
    private PaymentType paymentType;

    @Column(name = "customer_name")
    private String customerName;

    @Column(nullable = false)
    private long total;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "business_date", nullable = false)
    private LocalDate businessDate;

    @Column(name = "idempotency_key", nullable = false)
    private String idempotencyKey;

    @Column(name = "request_hash", nullable = false)
    private String requestHash;

    /** After its voids and returns. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private SaleStatus status = SaleStatus.COMPLETED;

    @OneToMany(mappedBy = "sale", cascade = CascadeType.ALL, fetch = FetchType.EAGER)
    @OrderBy("id")
    private List<SaleItem> items = new ArrayList<>();

    protected Sale() {}

    Sale(long id, long branchId, long cashierId, PaymentType paymentType, String customerName, Instant createdAt,
            LocalDate businessDate, String idempotencyKey, String requestHash) {
        this.id = id;
        this.branchId = branchId;
        this.cashierId = cashierId;
        this.paymentType = paymentType;
        this.customerName = customerName;
        this.createdAt = createdAt;
        this.businessDate = businessDate;
        this.idempotencyKey = idempotencyKey;
        this.requestHash = requestHash;
        this.invoiceNo = String.format("INV-%d-%s-%06d", branchId, businessDate.toString().replace("-", ""), id);
    }

    void addItem(long productId, int quantity, long unitPrice) {
        items.add(new SaleItem(this, productId, quantity, unitPrice));
        total += unitPrice * quantity;
    }

    public Long getId() {
        return id;
    }

    public String getInvoiceNo() {
        return invoiceNo;
    }

    public long getBranchId() {
        return branchId;
    }

    public long getCashierId() {
        return cashierId;
    }

    public PaymentType getPaymentType() {
        return paymentType;
    }

    public String getCustomerName() {
        return customerName;
    }

    public long getTotal() {
        return total;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public LocalDate getBusinessDate() {
        return businessDate;
    }

    public String getRequestHash() {
        return requestHash;
    }

    public List<SaleItem> getItems() {
        return items;
    }

    public SaleStatus getStatus() {
        return status;
    }

    /** Units of its lines not yet returned. */
    int unitsLeft() {
        return items.stream().mapToInt(SaleItem::quantityLeft).sum();
    }

    /** After a void or a return: voided once nothing is left of it. */
    void settleAfterReturn() {
        status = unitsLeft() == 0 ? SaleStatus.VOIDED : SaleStatus.PARTLY_RETURNED;
    }
}
