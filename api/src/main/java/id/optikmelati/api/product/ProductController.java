package id.optikmelati.api.product;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.ProductType;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.api.outbox.EventPositions;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/products")
public class ProductController {

    private final ProductQuery products;
    private final BranchAccess branchAccess;
    private final EventPositions positions;

    ProductController(ProductQuery products, BranchAccess branchAccess, EventPositions positions) {
        this.products = products;
        this.branchAccess = branchAccess;
        this.positions = positions;
    }

    public record ProductStock(long id, String kode, String name, ProductType type, long price, long branchId,
            int stock, String alertLevel) {}

    /**
     * The products of one branch with their stock; a super admin names the branch. The
     * {@code Event-Cursor} header says which events the stock figures already include.
     */
    @GetMapping
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    ResponseEntity<List<ProductStock>> list(@CurrentUser ShopPrincipal user,
            @RequestParam(required = false) ProductType type,
            @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) String kode) {
        long branch = branchAccess.resolve(user, branchId);
        if ((q != null && q.length() > 100) || (kode != null && kode.length() > 100)) {
            throw ApiProblem.badRequest("query-too-long");
        }
        String cursor = positions.cursor(List.of(branch));
        List<ProductStock> found = products.list(branch, type,
                q == null || q.isBlank() ? null : ProductQuery.likePattern(q),
                kode == null || kode.isBlank() ? null : kode.trim().toUpperCase(Locale.ROOT));
        return ResponseEntity.ok().header(EventPositions.HEADER, cursor).body(found);
    }
}
