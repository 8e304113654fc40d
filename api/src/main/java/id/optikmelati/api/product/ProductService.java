package id.optikmelati.api.product;

import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The chain's catalogue, kept by admins: a new product starts at 0 units in every branch (stock is
 * the stock adjustments' and deliveries' job), and every change reaches every open stock list and
 * sale page as {@code product.changed}, on every branch's stream.
 */
@Service
public class ProductService {

    private final ProductRepository products;
    private final OutboxWriter outbox;
    private final JdbcClient jdbc;
    private final Clock clock;

    ProductService(ProductRepository products, OutboxWriter outbox, JdbcClient jdbc, Clock clock) {
        this.products = products;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public Product create(ShopPrincipal user, ProductRequest request) {
        adminOnly(user);
        String kode = blank(request.kode()) ? nextCode(request.type()) : request.kode().trim().toUpperCase(Locale.ROOT);
        String barcode = blank(request.barcode()) ? null : request.barcode().trim();
        requireFree(kode, barcode, null);
        Product p = new Product(kode, request.name().trim(), request.type(), request.price());
        p.edit(barcode, request.name().trim(), brand(request), request.type(), request.price(),
                request.active() == null || request.active(), clock.instant());
        products.saveAndFlush(p);
        jdbc.sql("insert into stock (product_id, branch_id, quantity) select :p, id, 0 from branch")
                .param("p", p.getId()).update();
        announce(p, null, true);
        return p;
    }

    /**
     * @param expectedVersion the version the edit started from (If-Match, or the body's)
     */
    @Transactional
    public Product update(ShopPrincipal user, long id, ProductRequest request, Long expectedVersion, boolean ifMatch) {
        adminOnly(user);
        if (expectedVersion == null) {
            throw new ApiProblem(HttpStatus.PRECONDITION_REQUIRED, "product-version-required");
        }
        Product p = products.findById(id).orElseThrow(() -> ApiProblem.notFound("unknown-product", id));
        if (p.getVersion() != expectedVersion) {
            throw new ApiProblem(ifMatch ? HttpStatus.PRECONDITION_FAILED : HttpStatus.CONFLICT, "product-version-conflict",
                    p.getName()).with("currentVersion", p.getVersion());
        }
        if (!blank(request.kode()) && !request.kode().trim().equalsIgnoreCase(p.getKode())) {
            throw ApiProblem.badRequest("product-kode-fixed", p.getKode());
        }
        String barcode = blank(request.barcode()) ? null : request.barcode().trim();
        requireFree(null, barcode, id);
        long before = p.getPrice();
        p.edit(barcode, request.name().trim(), brand(request), request.type(), request.price(),
                request.active() == null ? p.isActive() : request.active(), clock.instant());
        products.flush(); // bumps the version, or fails (409) if another edit committed meanwhile
        announce(p, before, false);
        return p;
    }

    @Transactional(readOnly = true)
    public Product get(long id) {
        return products.findById(id).orElseThrow(() -> ApiProblem.notFound("unknown-product", id));
    }

    private void announce(Product p, Long previousPrice, boolean created) {
        Instant now = clock.instant();
        List<Long> branches = jdbc.sql("select id from branch order by id").query(Long.class).list();
        for (long branch : branches) {
            outbox.append(branch, EventType.PRODUCT_CHANGED, () -> new Payloads.ProductChanged(p.getId(), p.getKode(),
                    p.getBarcode(), p.getName(), p.getBrand(), p.getType(), p.getPrice(), previousPrice, p.isActive(),
                    p.getVersion(), created, now));
        }
    }

    /**
     * The next free code of the type's series: its prefix and six digits, one above the highest
     * in use. The series is locked until commit, so two admins adding frames at once get two codes.
     */
    private String nextCode(ProductType type) {
        String prefix = type.codePrefix();
        jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))").param("key", "product-code:" + prefix).query().singleRow();
        long highest = jdbc.sql("""
                        select coalesce(max(cast(substring(kode from 3) as bigint)), 0) from product
                        where kode ~ ('^' || :prefix || '[0-9]{6}$')
                        """)
                .param("prefix", prefix).query(Long.class).single();
        return String.format(Locale.ROOT, "%s%06d", prefix, highest + 1);
    }

    private void requireFree(String kode, String barcode, Long self) {
        if (kode != null && products.findByKode(kode).isPresent()) {
            throw ApiProblem.conflict("duplicate-kode", kode);
        }
        if (barcode != null) {
            products.findByBarcode(barcode).filter(other -> !other.getId().equals(self)).ifPresent(other -> {
                throw ApiProblem.conflict("duplicate-barcode", barcode, other.getKode());
            });
        }
    }

    private static String brand(ProductRequest request) {
        return request.brand() == null ? "" : request.brand().trim();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static void adminOnly(ShopPrincipal user) {
        if (!user.role().isAdmin()) {
            throw ApiProblem.forbidden("products-admin-only");
        }
    }
}
