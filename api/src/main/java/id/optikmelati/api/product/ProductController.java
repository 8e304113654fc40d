package id.optikmelati.api.product;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.outbox.EventPositions;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.PlainNumbers;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ShopPrincipal;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catalogue: every product with a branch's stock; admins add and edit products. */
@RestController
@RequestMapping("/api/products")
public class ProductController {

    private final ProductQuery products;
    private final ProductService catalogue;
    private final BranchAccess branchAccess;
    private final EventPositions positions;

    ProductController(ProductQuery products, ProductService catalogue, BranchAccess branchAccess,
            EventPositions positions) {
        this.products = products;
        this.catalogue = catalogue;
        this.branchAccess = branchAccess;
        this.positions = positions;
    }

    public record ProductStock(long id, String kode, String barcode, String name, String brand, ProductType type,
            long price, boolean active, long version, long branchId, int stock, String alertLevel) {}

    /** A product as the catalogue holds it; its version is also the ETag for an edit's If-Match. */
    public record ProductView(long id, String kode, String barcode, String name, String brand, ProductType type,
            long price, boolean active, long version) {
        static ProductView of(Product p) {
            return new ProductView(p.getId(), p.getKode(), p.getBarcode(), p.getName(), p.getBrand(), p.getType(),
                    p.getPrice(), p.isActive(), p.getVersion());
        }
    }

    /**
     * The products of one branch with their stock; a super admin names the branch. The
     * {@code Event-Cursor} header says which events the stock figures already include.
     *
     * @param kode an exact product code or barcode (what a scanner types)
     */
    @GetMapping
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    ResponseEntity<List<ProductStock>> list(@CurrentUser ShopPrincipal user,
            @RequestParam(required = false) ProductType type,
            @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String kode,
            @RequestParam(defaultValue = "false") boolean includeInactive) {
        long branch = branchAccess.resolve(user, branchId);
        if ((q != null && q.length() > 100) || (kode != null && kode.length() > 100)) {
            throw ApiProblem.badRequest("query-too-long");
        }
        String cursor = positions.cursor(List.of(branch));
        List<ProductStock> found = products.list(branch, type,
                q == null || q.isBlank() ? null : ProductQuery.likePattern(q),
                kode == null || kode.isBlank() ? null : kode.trim(), includeInactive);
        return ResponseEntity.ok().header(EventPositions.HEADER, cursor).body(found);
    }

    @GetMapping("/{id}")
    ResponseEntity<ProductView> get(@PathVariable long id) {
        return withVersion(ResponseEntity.ok(), catalogue.get(id));
    }

    /** A new product; its stock is 0 in every branch. */
    @PostMapping
    @ApiResponse(responseCode = "201", description = "The new product, its version in ETag")
    ResponseEntity<ProductView> create(@CurrentUser ShopPrincipal user, @Valid @RequestBody ProductRequest request) {
        Product p = catalogue.create(user, request);
        return withVersion(ResponseEntity.created(URI.create("/api/products/" + p.getId())), p);
    }

    /**
     * An edit of what the catalogue says of a product (its code stays). The version it started from
     * comes as {@code If-Match: "<version>"} (a stale one is 412) or as the body's {@code version} (409).
     */
    @PutMapping("/{id}")
    ResponseEntity<ProductView> update(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @Valid @RequestBody ProductRequest request) {
        Long expected = ifMatch != null ? versionOf(ifMatch) : request.version();
        return withVersion(ResponseEntity.ok(), catalogue.update(user, id, request, expected, ifMatch != null));
    }

    private static ResponseEntity<ProductView> withVersion(ResponseEntity.BodyBuilder response, Product p) {
        return response.eTag("\"" + p.getVersion() + "\"").body(ProductView.of(p));
    }

    private static Long versionOf(String ifMatch) {
        String v = ifMatch.trim();
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        OptionalLong version = PlainNumbers.parseUnsigned(v.replace("\"", ""));
        if (version.isEmpty()) {
            throw ApiProblem.badRequest("bad-if-match");
        }
        return version.getAsLong();
    }
}
