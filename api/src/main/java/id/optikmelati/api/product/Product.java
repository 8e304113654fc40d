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
import jakarta.persistence.Version;
import java.time.Instant;

/** A product of the chain's catalogue; its stock per branch is in {@code stock}. */
@Entity
@Table(name = "product")
public class Product {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** The shop's product code, e.g. FR000123; unique in the chain. */
    @Column(nullable = false, unique = true)
    private String kode;

    /** What a barcode scanner types, when the product has one; unique. */
    @Column(unique = true)
    private String barcode;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String brand = "";

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ProductType type;

    /** Whole rupiah. */
    @Column(nullable = false)
    private long price;

    /** An inactive product is no longer sold; its history stays. */
    @Column(nullable = false)
    private boolean active = true;

    /** Bumped by every edit: two admins editing at once cannot overwrite each other. */
    @Version
    private long version;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Product() {}

    public Product(String kode, String name, ProductType type, long price) {
        this.kode = kode;
        this.name = name;
        this.type = type;
        this.price = price;
        this.updatedAt = Instant.now();
    }

    void edit(String barcode, String name, String brand, ProductType type, long price, boolean active, Instant at) {
        this.barcode = barcode;
        this.name = name;
        this.brand = brand;
        this.type = type;
        this.price = price;
        this.active = active;
        this.updatedAt = at;
    }

    public Long getId() {
        return id;
    }

    public String getKode() {
        return kode;
    }

    public String getBarcode() {
        return barcode;
    }

    public String getName() {
        return name;
    }

    public String getBrand() {
        return brand;
    }

    public ProductType getType() {
        return type;
    }

    public long getPrice() {
        return price;
    }

    public boolean isActive() {
        return active;
    }

    public long getVersion() {
        return version;
    }
}
