package id.optikmelati.api.order;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A glasses order of one branch's customer; its items were reserved from the branch's stock. */
@Entity
@Table(name = "customer_order")
public class CustomerOrder {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "order_no", nullable = false, unique = true)
    private String orderNo;

    @Column(name = "branch_id", nullable = false)
    private long branchId;

    @Column(name = "customer_name", nullable = false)
    private String customerName;

    @Column(name = "customer_phone")
    private String customerPhone;

    /** The staff's notes (frame colour, coating, the lab's reference). */
    @Column(nullable = false)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderStatus status;

    @Column(name = "promised_date", nullable = false)
    private LocalDate promisedDate;

    @Column(nullable = false)
    private long total;

    @Column(nullable = false)
    private long deposit;

    @Column(name = "sale_id")
    private Long saleId;

    @Column(name = "created_by", nullable = false)
    private long createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "at_lab_at")
    private Instant atLabAt;

    @Column(name = "ready_at")
    private Instant readyAt;

    @Column(name = "picked_up_at")
    private Instant pickedUpAt;

    @Column(name = "cancelled_at")
    private Instant cancelledAt;

    @Column(name = "overdue_since")
    private Instant overdueSince;

    @Column(name = "r_sph") private BigDecimal rightSph;
    @Column(name = "r_cyl") private BigDecimal rightCyl;
    @Column(name = "r_axis") private Integer rightAxis;
    @Column(name = "r_add") private BigDecimal rightAdd;
    @Column(name = "l_sph") private BigDecimal leftSph;
    @Column(name = "l_cyl") private BigDecimal leftCyl;
    @Column(name = "l_axis") private Integer leftAxis;
    @Column(name = "l_add") private BigDecimal leftAdd;
    @Column(name = "pd") private BigDecimal pd;

    @OneToMany(mappedBy = "order", cascade = CascadeType.ALL, fetch = FetchType.EAGER)
    @OrderBy("productId")
    private List<OrderItem> items = new ArrayList<>();

    protected CustomerOrder() {}

    CustomerOrder(String orderNo, long branchId, String customerName, String customerPhone, String description,
            Prescription prescription, LocalDate promisedDate, long createdBy, Instant createdAt) {
        this.orderNo = orderNo;
        this.branchId = branchId;
        this.customerName = customerName;
        this.customerPhone = customerPhone;
        this.description = description;
        this.promisedDate = promisedDate;
        this.status = OrderStatus.ORDERED;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        if (prescription != null) {
            rightSph = prescription.right().sph();
            rightCyl = prescription.right().cyl();
            rightAxis = prescription.right().axis();
            rightAdd = prescription.right().add();
            leftSph = prescription.left().sph();
            leftCyl = prescription.left().cyl();
            leftAxis = prescription.left().axis();
            leftAdd = prescription.left().add();
            pd = prescription.pd();
        }
    }

    void addItem(long productId, int quantity, long unitPrice) {
        items.add(new OrderItem(this, productId, quantity, unitPrice));
        total += unitPrice * quantity;
    }

    /** Set once the items are in: a deposit is never more than the order is worth. */
    void depositOf(long amount) {
        this.deposit = amount;
    }

    /** Moves to {@code next}; false if the order's way does not lead there from where it is. */
    boolean moveTo(OrderStatus next, Instant at) {
        if (!status.mayMoveTo(next)) {
            return false;
        }
        status = next;
        switch (next) {
            case AT_LAB -> atLabAt = at;
            case READY -> readyAt = at;
            case PICKED_UP -> pickedUpAt = at;
            case CANCELLED -> cancelledAt = at;
            case ORDERED -> { }
        }
        return true;
    }

    void pickedUpAs(long saleId) {
        this.saleId = saleId;
    }

    void overdueSince(Instant at) {
        this.overdueSince = at;
    }

    /** Past its promised date and not ready yet (as announced when the date passed). */
    public boolean isOverdue() {
        return overdueSince != null && OrderStatus.NOT_READY.contains(status);
    }

    public Prescription getPrescription() {
        return rightSph == null ? null : new Prescription(new Prescription.Eye(rightSph, rightCyl, rightAxis, rightAdd),
                new Prescription.Eye(leftSph, leftCyl, leftAxis, leftAdd), pd);
    }

    public Long getId() {
        return id;
    }

    public String getOrderNo() {
        return orderNo;
    }

    public long getBranchId() {
        return branchId;
    }

    public String getCustomerName() {
        return customerName;
    }

    public String getCustomerPhone() {
        return customerPhone;
    }

    public String getDescription() {
        return description;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public LocalDate getPromisedDate() {
        return promisedDate;
    }

    public long getTotal() {
        return total;
    }

    public long getDeposit() {
        return deposit;
    }

    public long getBalance() {
        return total - deposit;
    }

    public Long getSaleId() {
        return saleId;
    }

    public List<OrderItem> getItems() {
        return items;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getAtLabAt() {
        return atLabAt;
    }

    public Instant getReadyAt() {
        return readyAt;
    }

    public Instant getPickedUpAt() {
        return pickedUpAt;
    }

    public Instant getCancelledAt() {
        return cancelledAt;
    }
}
