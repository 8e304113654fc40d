package id.optikmelati.api.product;

import id.optikmelati.contract.ProductType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "product")
public class Product {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** The shop's product code, e.g. FR000123; what a barcode scanner types. */
    @Column(nullable = false, unique = true)
    private String kode;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ProductType type;

    /** Whole rupiah. */
    @Column(nullable = false)
    private long price;

    protected Product() {}

    public Product(String kode, String name, ProductType type, long price) {
        this.kode = kode;
        this.name = name;
        this.type = type;
        this.price = price;
    }

    public Long getId() {
        return id;
    }

    public String getKode() {
        return kode;
    }

    public String getName() {
        return name;
    }

    public ProductType getType() {
        return type;
    }

    public long getPrice() {
        return price;
    }
}
