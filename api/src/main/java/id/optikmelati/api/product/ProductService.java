package id.optikmelati.api.product;

import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.stock.StockLedger;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.HttpStatus;
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
    private final ProductCodes codes;
    private final StockLedger stock;
    private final BranchRepository branches;
    private final OutboxWriter outbox;
    private final Clock clock;

    ProductService(ProductRepository products, ProductCodes codes, StockLedger stock, BranchRepository branches,
            OutboxWriter outbox, Clock clock) {
        this.products = products;
        this.codes = codes;
        this.stock = stock;
        this.branches = branches;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public Product create(ShopPrincipal user, ProductRequest request) {
        adminOnly(user);
        String kode = blank(request.kode()) ? codes.next(request.type()) : request.kode().trim().toUpperCase(Locale.ROOT);
        String barcode = blank(request.barcode()) ? null : request.barcode().trim();
        requireFree(kode, barcode, null);
        Product p = new Product(kode, request.name().trim(), request.type(), request.price());
        p.edit(barcode, request.name().trim(), brand(request), request.type(), request.price(),
                request.active() == null || request.active(), clock.instant());
        products.saveAndFlush(p);
        stock.openEverywhere(p.getId());
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
        for (long branch : branches.findAllIds()) {
            outbox.append(branch, EventType.PRODUCT_CHANGED, () -> new Payloads.ProductChanged(p.getId(), p.getKode(),
                    p.getBarcode(), p.getName(), p.getBrand(), p.getType(), p.getPrice(), previousPrice, p.isActive(),
                    p.getVersion(), created, now));
        }
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
