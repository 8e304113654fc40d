package id.optikmelati.api.sale;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

@Entity
@Table(name = "sale_item")
public class SaleItem {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "sale_id")
    private Sale sale;

    @Column(name = "product_id", nullable = false)
    private long productId;

    @Column(nullable = false)
    private int quantity;

    @Column(name = "unit_price", nullable = false)
    private long unitPrice;

    /** Units of this line returned so far; never more than were sold (a CHECK holds it too). */
    @Column(name = "returned_quantity", nullable = false)
    private int returnedQuantity;

    protected SaleItem() {}

    SaleItem(Sale sale, long productId, int quantity, long unitPrice) {
        this.sale = sale;
        this.productId = productId;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
    }

    public Long getId() {
        return id;
    }

    public int getReturnedQuantity() {
        return returnedQuantity;
    }

    int quantityLeft() {
        return quantity - returnedQuantity;
    }

    /** Takes back {@code n} units of what is left. */
    void returned(int n) {
        if (n <= 0 || n > quantityLeft()) {
            throw new IllegalArgumentException("cannot return " + n + " of " + quantityLeft());
        }
        returnedQuantity += n;
    }

    public long getProductId() {
        return productId;
    }

    public int getQuantity() {
        return quantity;
    }

    public long getUnitPrice() {
        return unitPrice;
    }
}
