package id.optikmelati.api.stock;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.product.ProductRepository;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Restocks and corrections, by the branch's ADMIN or a SUPER_ADMIN. */
@RestController
class StockAdjustmentController {

    private final StockLedger ledger;
    private final StockEvents events;
    private final ProductRepository products;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final JdbcClient jdbc;

    StockAdjustmentController(StockLedger ledger, StockEvents events, ProductRepository products,
            BranchRepository branches, BranchAccess branchAccess, JdbcClient jdbc) {
        this.ledger = ledger;
        this.events = events;
        this.products = products;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.jdbc = jdbc;
    }

    record AdjustmentRequest(
            Long branchId,
            @NotNull @Min(-100_000) @Max(100_000) Integer delta,
            @NotBlank @Size(max = 200) String reason) {}

    record AdjustmentResult(long productId, long branchId, int previousStock, int stock, String alertLevel) {}

    @PostMapping("/api/products/{id}/stock-adjustments")
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    AdjustmentResult adjust(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @Valid @RequestBody AdjustmentRequest request) {
        if (user.role() == Role.KASIR) {
            throw ApiProblem.forbidden("admin-only");
        }
        long branch = branchAccess.resolve(user, request.branchId());
        if (request.delta() == 0) {
            throw ApiProblem.badRequest("zero-delta");
        }
        Product product = products.findById(id).orElseThrow(() -> ApiProblem.notFound("unknown-product", id));
        StockLedger.Movement movement = ledger.adjust(branch, id, request.delta()).orElseThrow(() -> {
            // Not changed: either the branch does not stock the product, or it would go below zero.
            int current = ledger.quantity(branch, id).orElseThrow(() -> ApiProblem.notFound("unknown-product", id));
            return ApiProblem.conflict("stock-below-zero", product.getName(), current).with("availableStock", current);
        });
        jdbc.sql("""
                        insert into stock_adjustment (product_id, branch_id, delta, quantity_after, reason, user_id)
                        values (:product, :branch, :delta, :after, :reason, :user)
                        """)
                .param("product", id).param("branch", branch).param("delta", request.delta())
                .param("after", movement.current()).param("reason", request.reason()).param("user", user.userId())
                .update();
        events.changed(branches.getReferenceById(branch), List.of(movement), Map.of(id, product),
                request.delta() > 0 ? "restock" : "correction");
        return new AdjustmentResult(id, branch, movement.previous(), movement.current(),
                AlertLevel.of(movement.current()).wireName());
    }
}
