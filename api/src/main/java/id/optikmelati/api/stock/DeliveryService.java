package id.optikmelati.api.stock;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A supplier's delivery booked into a branch by its admin (or a super admin): the stock of every
 * line rises, the delivery and its note are kept, and the branch's screens get one {@code
 * stock.changed} (reason {@code restock}, the note as its reference), all in one transaction.
 */
@Service
class DeliveryService {

    private final StockLedger ledger;
    private final StockEvents events;
    private final StockLines lines;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final JdbcClient jdbc;
    private final Clock clock;

    DeliveryService(StockLedger ledger, StockEvents events, StockLines lines, BranchRepository branches,
            BranchAccess branchAccess, JdbcClient jdbc, Clock clock) {
        this.ledger = ledger;
        this.events = events;
        this.lines = lines;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Received(long id, long branchId, String supplier, String reference, Instant receivedAt,
            List<StockLedger.Movement> movements) {}

    @Transactional
    Received receive(ShopPrincipal user, Long branchId, String supplier, String reference, List<StockLines.Line> items) {
        if (user.role() == Role.KASIR) {
            throw ApiProblem.forbidden("admin-only");
        }
        long branch = branchAccess.resolve(user, branchId);
        if (items.stream().anyMatch(l -> l.quantity() == 0)) {
            throw ApiProblem.badRequest("zero-quantity");
        }
        Map<Long, Product> products = lines.products(items);
        Instant now = clock.instant();
        long id;
        try {
            id = jdbc.sql("""
                            insert into delivery (branch_id, supplier, reference, received_by, received_at)
                            values (:branch, :supplier, :reference, :user, :at) returning id""")
                    .param("branch", branch).param("supplier", supplier).param("reference", reference)
                    .param("user", user.userId()).param("at", Timestamp.from(now)).query(Long.class).single();
        } catch (DuplicateKeyException booked) {
            throw ApiProblem.conflict("delivery-booked", supplier, reference);
        }
        List<StockLedger.Movement> movements = new ArrayList<>();
        for (StockLines.Line line : StockLines.sorted(items)) {
            movements.add(ledger.adjust(branch, line.productId(), line.quantity())
                    .orElseThrow(() -> ApiProblem.notFound("unknown-product", line.productId())));
            jdbc.sql("insert into delivery_item (delivery_id, product_id, quantity) values (:d, :p, :q)")
                    .param("d", id).param("p", line.productId()).param("q", line.quantity()).update();
        }
        events.changed(branches.getReferenceById(branch), movements, products, "restock", reference);
        return new Received(id, branch, supplier, reference, now, movements);
    }
}
