package id.optikmelati.api.sale;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.Branch;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.dayclose.ClosedDays;
import id.optikmelati.api.omset.OmsetQuery;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.product.ProductRepository;
import id.optikmelati.api.stock.StockEvents;
import id.optikmelati.api.stock.StockLedger;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ReturnKind;
import id.optikmelati.contract.SaleStatus;
import id.optikmelati.contract.ShopPrincipal;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Voids and returns, by the branch's admins or a super admin: the items come back into stock, the
 * amount is booked against the omset of the day it happens (in the sale's payment type), and the
 * sale is marked partly returned or voided; all in one transaction, or nothing. The sale's row is
 * locked first, so two admins returning the same item at once go one after the other, and the
 * second finds it already returned.
 */
@Service
public class SaleReturnService {

    private final SaleRepository sales;
    private final ProductRepository products;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final StockLedger ledger;
    private final StockEvents stockEvents;
    private final OutboxWriter outbox;
    private final OmsetQuery omset;
    private final SaleDetails details;
    private final SaleReturnRecords records;
    private final Clock clock;
    private final ShopProperties properties;
    private final MeterRegistry meters;

    private final ClosedDays closedDays;

    SaleReturnService(SaleRepository sales, ProductRepository products, BranchRepository branches,
            BranchAccess branchAccess, StockLedger ledger, StockEvents stockEvents, OutboxWriter outbox,
            OmsetQuery omset, SaleDetails details, SaleReturnRecords records, Clock clock,
            ShopProperties properties, MeterRegistry meters, ClosedDays closedDays) {
        this.closedDays = closedDays;
        this.sales = sales;
        this.products = products;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.ledger = ledger;
        this.stockEvents = stockEvents;
        this.outbox = outbox;
        this.omset = omset;
        this.details = details;
        this.records = records;
        this.clock = clock;
        this.properties = properties;
        this.meters = meters;
    }

    /** The sale after it, and whether this was a retry of one already done. */
    public record Result(SaleDetails.SaleDetail sale, long returnId, boolean replayed) {}

    /** Takes back what is left of the whole sale. */
    @Transactional
    public Result voidSale(ShopPrincipal user, long saleId, String reason, String idempotencyKey) {
        return takeBack(user, saleId, ReturnKind.VOID, reason.trim(), null, idempotencyKey);
    }

    /** Takes back some units of some lines; each at most what is left of its line. */
    @Transactional
    public Result returnItems(ShopPrincipal user, long saleId, String reason, List<ReturnRequest.Line> items,
            String idempotencyKey) {
        Map<Long, Integer> lines = new TreeMap<>();
        for (ReturnRequest.Line line : items) {
            lines.merge(line.productId(), line.quantity(), Integer::sum);
        }
        return takeBack(user, saleId, ReturnKind.RETURN, reason.trim(), lines, idempotencyKey);
    }

    private Result takeBack(ShopPrincipal user, long saleId, ReturnKind kind, String reason, Map<Long, Integer> asked,
            String idempotencyKey) {
        if (!user.role().isAdmin()) {
            throw ApiProblem.forbidden("returns-admin-only");
        }
        Sale sale = sales.findForUpdate(saleId).orElseThrow(() -> ApiProblem.notFound("unknown-sale", saleId));
        branchAccess.check(user, sale.getBranchId());
        String hash = hash(kind, saleId, reason, asked);
        // Checked under the sale's lock: a retry that raced the first attempt finds it committed.
        Optional<Result> earlier = earlier(user, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        if (sale.getStatus() == SaleStatus.VOIDED) {
            throw ApiProblem.conflict("sale-voided", sale.getInvoiceNo());
        }
        Map<Long, SaleItem> byProduct = sale.getItems().stream()
                .collect(Collectors.toMap(SaleItem::getProductId, Function.identity()));
        Map<Long, Integer> taken = new TreeMap<>();
        if (asked == null) {
            byProduct.forEach((product, item) -> {
                if (item.quantityLeft() > 0) {
                    taken.put(product, item.quantityLeft());
                }
            });
        } else {
            for (var line : asked.entrySet()) {
                SaleItem item = byProduct.get(line.getKey());
                if (item == null) {
                    throw ApiProblem.unprocessable("not-in-sale", line.getKey(), sale.getInvoiceNo())
                            .with("productId", line.getKey());
                }
                if (line.getValue() > item.quantityLeft()) {
                    throw ApiProblem.conflict("return-exceeds-sold", line.getKey(), item.quantityLeft())
                            .with("productId", line.getKey()).with("returnable", item.quantityLeft());
                }
                taken.put(line.getKey(), line.getValue());
            }
        }
        Map<Long, Product> catalog = products.findAllById(taken.keySet()).stream()
                .collect(Collectors.toMap(Product::getId, Function.identity()));
        long amount = 0;
        for (var t : taken.entrySet()) {
            SaleItem item = byProduct.get(t.getKey());
            item.returned(t.getValue());
            amount += item.getUnitPrice() * t.getValue();
        }
        sale.settleAfterReturn();

        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, properties.zone());
        long returnId = records.book(saleId, sale.getBranchId(), kind, reason, amount, sale.getPaymentType(), day,
                user.userId(), now, idempotencyKey, hash);
        List<StockLedger.Movement> movements = new ArrayList<>();
        List<Payloads.SaleItem> back = new ArrayList<>();
        for (var t : taken.entrySet()) {
            SaleItem item = byProduct.get(t.getKey());
            records.bookLine(returnId, item.getId(), t.getKey(), t.getValue(), item.getUnitPrice());
            movements.add(ledger.adjust(sale.getBranchId(), t.getKey(), t.getValue()).orElseThrow());
            Product p = catalog.get(t.getKey());
            back.add(new Payloads.SaleItem(p.getId(), p.getKode(), p.getName(), t.getValue(), item.getUnitPrice()));
        }
        Branch branch = branches.getReferenceById(sale.getBranchId());
        long total = amount;
        outbox.append(sale.getBranchId(), EventType.SALE_RETURNED, () -> new Payloads.SaleReturned(returnId, saleId,
                sale.getInvoiceNo(), branch.getId(), branch.getName(), kind, reason, total, sale.getPaymentType(), back,
                sale.getStatus(), user.username(), now, omset.of(sale.getBranchId(), day)));
        closedDays.refuseIfClosed(sale.getBranchId(), day); // a refund changes the day's cash
        stockEvents.changed(branch, movements, catalog, "return");
        countAfterCommit(sale, kind, amount);
        sales.flush();
        return new Result(details.read(saleId), returnId, false);
    }

    private Optional<Result> earlier(ShopPrincipal user, String idempotencyKey, String hash) {
        return records.byKey(user.userId(), idempotencyKey).map(e -> {
            if (!e.requestHash().equals(hash)) {
                throw ApiProblem.unprocessable("idempotency-key-reused");
            }
            return new Result(details.read(e.saleId()), e.returnId(), true);
        });
    }

    /** What makes two requests "the same return" for the idempotency check. */
    private static String hash(ReturnKind kind, long saleId, String reason, Map<Long, Integer> lines) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("kind", kind);
        canonical.put("sale", saleId);
        canonical.put("reason", reason);
        canonical.put("lines", lines);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void countAfterCommit(Sale sale, ReturnKind kind, long amount) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                String branch = Long.toString(sale.getBranchId());
                String payment = sale.getPaymentType().name();
                String k = kind.name().toLowerCase(Locale.ROOT);
                meters.counter("optik.sale.returns", "branch", branch, "payment_type", payment, "kind", k).increment();
                meters.counter("optik.revenue.returned.rupiah", "branch", branch, "payment_type", payment)
                        .increment(amount);
            }
        });
    }
}
