package id.optikmelati.api.product;

import id.optikmelati.contract.ProductType;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A product as an admin enters it. An empty {@code kode} is generated in the old system's form
 * (FR000124, LN000046, AC000008); a code is kept upper-case. {@code version} is the one the edit
 * started from (or send {@code If-Match}); a stale one is a conflict, never a lost update.
 */
public record ProductRequest(
        @Size(max = 20) @Pattern(regexp = "^$|^[A-Za-z0-9][A-Za-z0-9-]{1,19}$") String kode,
        @Size(max = 40) @Pattern(regexp = "^$|^[A-Za-z0-9-]{4,40}$") String barcode,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 100) String brand,
        @NotNull ProductType type,
        @NotNull @Min(0) @Max(MAX_PRICE) Long price,
        Boolean active,
        Long version) {

    /** Rp 500 juta: more than any frame or lens costs; a bigger number is a typing slip. */
    public static final long MAX_PRICE = 500_000_000L;
}
