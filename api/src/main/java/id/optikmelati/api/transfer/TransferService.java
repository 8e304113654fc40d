package id.optikmelati.api.transfer;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.branch.DocumentNumbers;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.stock.StockEvents;
import id.optikmelati.api.stock.StockLedger;
import id.optikmelati.api.stock.StockLines;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stock moving between branches: the branch that needs it asks (requested), the branch that has it
 * sends (its stock falls; the units are in transit), the asking branch receives what arrived (its
 * stock rises; a shortfall stays on the line), or either cancels (after sending, the units go back
 * to the sender). Each step is one transaction with its {@code stock.changed} and a {@code
 * transfer.changed} on both branches' streams. Admins act for their own branch's side; a super
 * admin for either. A kasir sees transfers but moves none.
 */
@Service
class TransferService {

    private final TransferRepository transfers;
    private final StockLedger ledger;
    private final StockEvents stockEvents;
    private final StockLines lines;
    private final OutboxWriter outbox;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final DocumentNumbers numbers;
    private final Clock clock;
    private final ZoneId zone;

    TransferService(TransferRepository transfers, StockLedger ledger, StockEvents stockEvents, StockLines lines,
            OutboxWriter outbox, BranchRepository branches, BranchAccess branchAccess, DocumentNumbers numbers,
            Clock clock, ShopProperties properties) {
        this.transfers = transfers;
        this.ledger = ledger;
        this.stockEvents = stockEvents;
        this.lines = lines;
        this.outbox = outbox;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.numbers = numbers;
        this.clock = clock;
        this.zone = properties.zone();
    }

    List<TransferRepository.Transfer> list(ShopPrincipal user, Long branchId, TransferStatus status) {
        Long branch = user.role().seesEveryBranch() ? branchId : Long.valueOf(user.branchId());
        if (branchId != null) {
            branchAccess.check(user, branchId);
        }
        return transfers.list(branch, status, 200);
    }

    TransferRepository.Transfer get(ShopPrincipal user, long id) {
        TransferRepository.Transfer t = transfers.find(id).orElseThrow(() -> ApiProblem.notFound("unknown-transfer", id));
        if (!user.mayAccessBranch(t.fromBranchId()) && !user.mayAccessBranch(t.toBranchId())) {
            throw ApiProblem.notFound("unknown-transfer", id); // another branches' business: as if it were not there
        }
        return t;
    }

    /** What is on its way to a branch, per product: counted in no branch's stock until it arrives. */
    List<TransferRepository.InTransit> inTransit(ShopPrincipal user, Long branchId) {
        return transfers.inTransitTo(branchAccess.resolve(user, branchId));
    }

    /** Where a branch short of a product could ask for it, and how many to ask. */
    record Suggestion(long productId, long toBranchId, long fromBranchId, String fromBranchName, int available,
            int quantity) {}

    /**
     * The branch with the most of the product above its own medium level (AlertLevel, the one stock
     * rule), asked for enough to lift this branch out of medium, or as much as it can spare.
     */
    java.util.Optional<Suggestion> suggest(ShopPrincipal user, long productId, Long toBranchId) {
        requireAdmin(user);
        long to = branchAccess.resolve(user, toBranchId);
        int own = ledger.quantity(to, productId).orElseThrow(() -> ApiProblem.notFound("unknown-product", productId));
        int need = Math.max(1, id.optikmelati.contract.AlertLevel.MEDIUM_MAX + 1 - own);
        return transfers.mostSpare(productId, to, id.optikmelati.contract.AlertLevel.MEDIUM_MAX)
                .map(s -> new Suggestion(productId, to, s.branchId(), s.branchName(), s.quantity(),
                        Math.min(need, s.spare())));
    }

    @Transactional
    TransferRepository.Transfer request(ShopPrincipal user, long fromBranchId, Long toBranchId,
            List<StockLines.Line> items, String note) {
        requireAdmin(user);
        long to = branchAccess.resolve(user, toBranchId);
        branchAccess.requireExists(fromBranchId);
        if (fromBranchId == to) {
            throw ApiProblem.badRequest("transfer-same-branch");
        }
        if (items.stream().anyMatch(l -> l.quantity() == 0)) {
            throw ApiProblem.badRequest("zero-quantity");
        }
        lines.products(items);
        Instant now = clock.instant();
        String no = numbers.next("TRF", to, LocalDate.ofInstant(now, zone));
        long id = transfers.insert(no, fromBranchId, to, note, user.userId(), now);
        for (StockLines.Line line : StockLines.sorted(items)) {
            transfers.insertLine(id, line.productId(), line.quantity());
        }
        return published(id, user, now);
    }

    @Transactional
    TransferRepository.Transfer send(ShopPrincipal user, long id) {
        requireAdmin(user);
        TransferRepository.Transfer t = locked(user, id);
        branchAccess.check(user, t.fromBranchId());
        requireStatus(t, TransferStatus.REQUESTED, TransferStatus.SENT);
        Map<Long, Product> products = productsOf(t);
        List<StockLedger.Movement> movements = new ArrayList<>();
        List<String> short_ = new ArrayList<>();
        for (TransferRepository.Line line : t.items()) {
            ledger.take(t.fromBranchId(), line.productId(), line.quantity()).ifPresentOrElse(movements::add,
                    () -> short_.add(line.productName()));
        }
        if (!short_.isEmpty()) {
            // the transaction rolls back: nothing leaves the branch unless everything can
            throw ApiProblem.conflict("transfer-insufficient-stock", String.join(", ", short_));
        }
        Instant now = clock.instant();
        transfers.sent(id, user.userId(), now);
        stockEvents.changed(branches.getReferenceById(t.fromBranchId()), movements, products, "transfer-out",
                t.transferNo());
        return published(id, user, now);
    }

    /** @param arrived how many of each product arrived; a product not named arrived in full */
    @Transactional
    TransferRepository.Transfer receive(ShopPrincipal user, long id, List<StockLines.Line> arrived) {
        requireAdmin(user);
        TransferRepository.Transfer t = locked(user, id);
        branchAccess.check(user, t.toBranchId());
        requireStatus(t, TransferStatus.SENT, TransferStatus.RECEIVED);
        Map<Long, TransferRepository.Line> sent = t.items().stream()
                .collect(Collectors.toMap(TransferRepository.Line::productId, Function.identity()));
        Map<Long, Integer> received = new LinkedHashMap<>();
        t.items().forEach(l -> received.put(l.productId(), l.quantity()));
        for (StockLines.Line line : arrived) {
            TransferRepository.Line asSent = sent.get(line.productId());
            if (asSent == null) {
                throw ApiProblem.badRequest("not-in-transfer", line.productId(), t.transferNo());
            }
            if (line.quantity() > asSent.quantity()) {
                throw ApiProblem.badRequest("received-more-than-sent", asSent.productName(), asSent.quantity());
            }
            received.put(line.productId(), line.quantity());
        }
        Map<Long, Product> products = productsOf(t);
        List<StockLedger.Movement> movements = new ArrayList<>();
        for (var e : received.entrySet()) {
            if (e.getValue() > 0) {
                movements.add(ledger.adjust(t.toBranchId(), e.getKey(), e.getValue())
                        .orElseThrow(() -> ApiProblem.notFound("unknown-product", e.getKey())));
            }
        }
        Instant now = clock.instant();
        transfers.received(id, user.userId(), now, received);
        if (!movements.isEmpty()) {
            stockEvents.changed(branches.getReferenceById(t.toBranchId()), movements, products, "transfer-in",
                    t.transferNo());
        }
        return published(id, user, now);
    }

    @Transactional
    TransferRepository.Transfer cancel(ShopPrincipal user, long id) {
        requireAdmin(user);
        TransferRepository.Transfer t = locked(user, id); // either side may cancel
        if (t.status() != TransferStatus.REQUESTED && t.status() != TransferStatus.SENT) {
            throw ApiProblem.conflict("transfer-status", t.transferNo(), t.status().label(),
                    TransferStatus.CANCELLED.label());
        }
        Instant now = clock.instant();
        if (t.status() == TransferStatus.SENT) {
            // what was in transit goes back to the sender
            List<StockLedger.Movement> movements = new ArrayList<>();
            for (TransferRepository.Line line : t.items()) {
                movements.add(ledger.adjust(t.fromBranchId(), line.productId(), line.quantity())
                        .orElseThrow(() -> ApiProblem.notFound("unknown-product", line.productId())));
            }
            stockEvents.changed(branches.getReferenceById(t.fromBranchId()), movements, productsOf(t),
                    "transfer-cancelled", t.transferNo());
        }
        transfers.cancelled(id, user.userId(), now);
        return published(id, user, now);
    }

    private TransferRepository.Transfer locked(ShopPrincipal user, long id) {
        TransferRepository.Transfer t = transfers.lock(id).orElseThrow(() -> ApiProblem.notFound("unknown-transfer", id));
        if (!user.mayAccessBranch(t.fromBranchId()) && !user.mayAccessBranch(t.toBranchId())) {
            throw ApiProblem.notFound("unknown-transfer", id);
        }
        return t;
    }

    private static void requireAdmin(ShopPrincipal user) {
        if (user.role() == Role.KASIR) {
            throw ApiProblem.forbidden("transfers-admin-only");
        }
    }

    private static void requireStatus(TransferRepository.Transfer t, TransferStatus expected, TransferStatus next) {
        if (t.status() != expected) {
            throw ApiProblem.conflict("transfer-status", t.transferNo(), t.status().label(), next.label());
        }
    }

    private Map<Long, Product> productsOf(TransferRepository.Transfer t) {
        return lines.products(t.items().stream().map(l -> new StockLines.Line(l.productId(), l.quantity())).toList());
    }

    /** The transfer as it now stands, announced on both its branches' streams (the lower branch id first). */
    private TransferRepository.Transfer published(long id, ShopPrincipal user, Instant at) {
        TransferRepository.Transfer t = transfers.find(id).orElseThrow();
        Payloads.TransferChanged payload = new Payloads.TransferChanged(t.id(), t.transferNo(), t.fromBranchId(),
                t.fromBranchName(), t.toBranchId(), t.toBranchName(), t.status().name(), t.items().stream()
                        .map(l -> new Payloads.TransferLine(l.productId(), l.kode(), l.productName(), l.quantity(),
                                l.received()))
                        .toList(), t.note(), user.username(), at);
        for (long branch : new long[] {Math.min(t.fromBranchId(), t.toBranchId()),
                Math.max(t.fromBranchId(), t.toBranchId())}) {
            outbox.append(branch, EventType.TRANSFER_CHANGED, () -> payload);
        }
        return t;
    }
}
