package id.optikmelati.api.stock;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.product.ProductRepository;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Restocks and corrections, by the branch's ADMIN or a SUPER_ADMIN: the stock, the adjustment's
 * record (with the admin's reason) and the {@code stock.changed} event, in one transaction.
 */
@Service
class StockAdjustmentService {

    private final StockLedger ledger;
    private final StockEvents events;
    private final ProductRepository products;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final JdbcClient jdbc;

    StockAdjustmentService(StockLedger ledger, StockEvents events, ProductRepository products,
            BranchRepository branches, BranchAccess branchAccess, JdbcClient jdbc) {
        this.ledger = ledger;
        this.events = events;
        this.products = products;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.jdbc = jdbc;
    }

    /** What an adjustment did. */
    record Adjusted(long productId, long branchId, StockLedger.Movement movement) {}

    @Transactional
    Adjusted adjust(ShopPrincipal user, long productId, Long branchId, int delta, String reason) {
        if (user.role() == Role.KASIR) {
            throw ApiProblem.forbidden("admin-only");
        }
        long branch = branchAccess.resolve(user, branchId);
        if (delta == 0) {
            throw ApiProblem.badRequest("zero-delta");
        }
        Product product = products.findById(productId)
                .orElseThrow(() -> ApiProblem.notFound("unknown-product", productId));
        StockLedger.Movement movement = ledger.adjust(branch, productId, delta).orElseThrow(() -> {
            // Not changed: either the branch does not stock the product, or it would go below zero.
            int current = ledger.quantity(branch, productId)
                    .orElseThrow(() -> ApiProblem.notFound("unknown-product", productId));
            return ApiProblem.conflict("stock-below-zero", product.getName(), current).with("availableStock", current);
        });
        jdbc.sql("""
                        insert into stock_adjustment (product_id, branch_id, delta, quantity_after, reason, user_id)
                        values (:product, :branch, :delta, :after, :reason, :user)
                        """)
                .param("product", productId).param("branch", branch).param("delta", delta)
                .param("after", movement.current()).param("reason", reason).param("user", user.userId())
                .update();
        events.changed(branches.getReferenceById(branch), List.of(movement), Map.of(productId, product),
                delta > 0 ? "restock" : "correction");
        return new Adjusted(productId, branch, movement);
    }
}
