package id.optikmelati.api.order;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

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

    @Column(nullable = false)
    private String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private OrderStatus status;

    @Column(name = "created_by", nullable = false)
    private long createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "ready_at")
    private Instant readyAt;

    @Column(name = "picked_up_at")
    private Instant pickedUpAt;

    protected CustomerOrder() {}

    CustomerOrder(String orderNo, long branchId, String customerName, String description, long createdBy,
            Instant createdAt) {
        this.orderNo = orderNo;
        this.branchId = branchId;
        this.customerName = customerName;
        this.description = description;
        this.status = OrderStatus.IN_PROGRESS;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    /** Moves to the next status; false if the order is not in the status that precedes it. */
    boolean advanceTo(OrderStatus next, Instant at) {
        if (next.ordinal() != status.ordinal() + 1) {
            return false;
        }
        status = next;
        if (next == OrderStatus.READY) {
            readyAt = at;
        } else {
            pickedUpAt = at;
        }
        return true;
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

    public String getDescription() {
        return description;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getReadyAt() {
        return readyAt;
    }

    public Instant getPickedUpAt() {
        return pickedUpAt;
    }
}
