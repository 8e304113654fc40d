package id.optikmelati.api.sale;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.AppUser;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.UserRepository;
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
import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.ShopPrincipal;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records a sale: all its items' stock is taken, the sale is written and its events go to the
 * outbox, in one transaction, or nothing happens at all.
 */
@Service
public class SaleService {

    private final SaleRepository sales;
    private final UserRepository users;
    private final ProductRepository products;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final StockLedger ledger;
    private final StockEvents stockEvents;
    private final OutboxWriter outbox;
    private final OmsetQuery omset;
    private final EntityManager em;
    private final Clock clock;
    private final ShopProperties properties;
    private final MeterRegistry meters;
    private final ClosedDays closedDays;

    SaleService(SaleRepository sales, UserRepository users, ProductRepository products, BranchRepository branches,
            BranchAccess branchAccess, StockLedger ledger, StockEvents stockEvents, OutboxWriter outbox,
            OmsetQuery omset, EntityManager em, Clock clock, ShopProperties properties, MeterRegistry meters,
            ClosedDays closedDays) {
        this.closedDays = closedDays;
        this.sales = sales;
        this.users = users;
        this.products = products;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.ledger = ledger;
        this.stockEvents = stockEvents;
        this.outbox = outbox;
        this.omset = omset;
        this.em = em;
        this.clock = clock;
        this.properties = properties;
        this.meters = meters;
    }

    /** A product that did not have enough stock. */
    public record Shortage(long productId, String kode, String name, int requested, int available) {}

    public record Result(SaleView sale, boolean replayed) {}

    /** Another request with the same Idempotency-Key committed while this one ran; this one rolls back. */
    public static final class KeyRace extends RuntimeException {
        KeyRace(Throwable cause) {
            super("a concurrent request with the same Idempotency-Key won", cause);
        }
    }

    @Transactional
    public Result create(ShopPrincipal user, SaleRequest request, String idempotencyKey) {
        long branchId = branchAccess.resolve(user, request.branchId());
        Map<Long, Integer> lines = merge(request.items());
        String hash = requestHash(branchId, request, lines);
        Optional<Sale> earlier = sales.findByCashierIdAndIdempotencyKey(user.userId(), idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), hash, user);
        }

        // Share-locked until commit: a price edit waits for this sale, which is priced as it commits.
        Map<Long, Product> catalog = products.findAllForSale(lines.keySet()).stream()
                .collect(Collectors.toMap(Product::getId, Function.identity()));
        List<Long> unknown = lines.keySet().stream().filter(id -> !catalog.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw ApiProblem.unprocessable("unknown-products", unknown).with("productIds", unknown);
        }
        List<String> inactive = catalog.values().stream().filter(p -> !p.isActive()).map(Product::getName).toList();
        if (!inactive.isEmpty()) {
            throw ApiProblem.conflict("products-inactive", String.join(", ", inactive))
                    .with("productIds", catalog.values().stream().filter(p -> !p.isActive()).map(Product::getId).toList());
        }

        // Take stock in product-id order (no deadlocks between sales); check every line so the 409
        // names every product that ran out, then roll back all of it.
        List<StockLedger.Movement> movements = new ArrayList<>();
        List<Shortage> shortages = new ArrayList<>();
        for (var line : lines.entrySet()) {
            Product p = catalog.get(line.getKey());
            Optional<StockLedger.Movement> taken = ledger.take(branchId, p.getId(), line.getValue());
            if (taken.isPresent()) {
                movements.add(taken.get());
            } else {
                int available = ledger.quantity(branchId, p.getId())
                        .orElseThrow(() -> ApiProblem.unprocessable("unknown-products", List.of(p.getId()))
                                .with("productIds", List.of(p.getId())));
                shortages.add(new Shortage(p.getId(), p.getKode(), p.getName(), line.getValue(), available));
            }
        }
        if (!shortages.isEmpty()) {
            String names = shortages.stream().map(Shortage::name).collect(Collectors.joining(", "));
            throw ApiProblem.conflict("insufficient-stock", names).with("products", shortages);
        }

        Map<Long, Long> prices = new TreeMap<>();
        lines.keySet().forEach(id -> prices.put(id, catalog.get(id).getPrice()));
        SaleView view = book(user, branchId, request.paymentType(), blankToNull(request.customerName()), lines, prices,
                catalog, idempotencyKey, hash);
        stockEvents.changed(branches.getReferenceById(branchId), movements, catalog, "sale");
        return new Result(view, false);
    }

    /**
     * A glasses order picked up: its items, taken from stock when it was ordered, booked as a sale of
     * today at the order's prices (the order's number is the sale's key: booked once).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public SaleView bookOrderPickup(ShopPrincipal user, long branchId, PaymentType paymentType, String customerName,
            Map<Long, Integer> lines, Map<Long, Long> prices, String orderNo) {
        Map<Long, Product> catalog = products.findAllById(lines.keySet()).stream()
                .collect(Collectors.toMap(Product::getId, Function.identity()));
        return book(user, branchId, paymentType, customerName, new TreeMap<>(lines), prices, catalog,
                "pesanan:" + orderNo, "pesanan:" + orderNo);
    }

    /** Writes the sale and its {@code sale.created} with the day's omset; the stock is the caller's. */
    private SaleView book(ShopPrincipal user, long branchId, PaymentType paymentType, String customerName,
            Map<Long, Integer> lines, Map<Long, Long> prices, Map<Long, Product> catalog, String idempotencyKey,
            String hash) {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, properties.zone());
        long saleId = ((Number) em.createNativeQuery("select nextval('sale_id_seq')").getSingleResult()).longValue();
        Sale sale = new Sale(saleId, branchId, user.userId(), paymentType, customerName, now, day, idempotencyKey, hash);
        lines.forEach((productId, qty) -> sale.addItem(productId, qty, prices.get(productId)));
        try {
            em.persist(sale); // items use IDENTITY ids, so this inserts at once
            em.flush(); // a concurrent request with the same key fails here, before the branch lock
        } catch (org.hibernate.exception.ConstraintViolationException e) {
            if (String.valueOf(e.getSQLException().getMessage()).contains("sale_idempotency")) {
                throw new KeyRace(e);
            }
            throw e;
        }

        Branch branch = branches.getReferenceById(branchId);
        SaleView view = view(sale, user.username(), catalog);
        // The day's omset is read under the branch's lock: every earlier sale of this branch has
        // committed, none later has.
        outbox.append(branchId, EventType.SALE_CREATED, () -> new Payloads.SaleCreated(sale.getId(),
                sale.getInvoiceNo(), branchId, branch.getName(), sale.getTotal(), sale.getPaymentType(),
                user.username(), sale.getCustomerName(),
                view.items().stream().map(i -> new Payloads.SaleItem(i.productId(), i.kode(), i.name(),
                        i.quantity(), i.unitPrice())).toList(),
                now, omset.of(branchId, day)));
        closedDays.refuseIfClosed(branchId, day); // under the branch's lock, as a close reads the day
        countAfterCommit(sale);
        return view;
    }

    /** The sale an earlier request with this key made; for a retry that lost the race on the key. */
    @Transactional(readOnly = true)
    public Optional<Result> earlier(ShopPrincipal user, SaleRequest request, String idempotencyKey) {
        long branchId = branchAccess.resolve(user, request.branchId());
        String hash = requestHash(branchId, request, merge(request.items()));
        return sales.findByCashierIdAndIdempotencyKey(user.userId(), idempotencyKey)
                .map(s -> replay(s, hash, user));
    }

    @Transactional(readOnly = true)
    public List<SaleView> latest(ShopPrincipal user, Long branchId, int limit) {
        return latestOf(branchAccess.resolve(user, branchId), limit);
    }

    /** The latest sales of a branch, newest first; the caller has checked access. */
    public List<SaleView> latestOf(long branch, int limit) {
        List<Sale> found = sales.findByBranchIdOrderByIdDesc(branch, PageRequest.of(0, limit));
        Map<Long, Product> catalog = products.findAllById(found.stream()
                        .flatMap(s -> s.getItems().stream().map(SaleItem::getProductId)).distinct().toList())
                .stream().collect(Collectors.toMap(Product::getId, Function.identity()));
        Map<Long, String> cashiers = users.findAllById(found.stream().map(Sale::getCashierId).distinct().toList())
                .stream().collect(Collectors.toMap(AppUser::getId, AppUser::getUsername));
        return found.stream().map(s -> view(s, cashiers.get(s.getCashierId()), catalog)).toList();
    }

    private Result replay(Sale sale, String hash, ShopPrincipal user) {
        if (!sale.getRequestHash().equals(hash)) {
            throw ApiProblem.unprocessable("idempotency-key-reused");
        }
        Map<Long, Product> catalog = products.findAllById(
                        sale.getItems().stream().map(SaleItem::getProductId).toList())
                .stream().collect(Collectors.toMap(Product::getId, Function.identity()));
        return new Result(view(sale, user.username(), catalog), true);
    }

    private static SaleView view(Sale sale, String cashier, Map<Long, Product> catalog) {
        return new SaleView(sale.getId(), sale.getInvoiceNo(), sale.getBranchId(), cashier, sale.getPaymentType(),
                sale.getCustomerName(), sale.getTotal(), sale.getCreatedAt(), sale.getStatus(),
                sale.getItems().stream().map(i -> {
                    Product p = catalog.get(i.getProductId());
                    return new SaleView.Item(i.getProductId(), p.getKode(), p.getName(), i.getQuantity(),
                            i.getUnitPrice());
                }).toList());
    }

    /** One line per product, in product-id order; the same product twice is one line. */
    private static Map<Long, Integer> merge(List<SaleRequest.Line> items) {
        Map<Long, Integer> lines = new TreeMap<>();
        for (SaleRequest.Line line : items) {
            if (line.productId() <= 0) {
                throw ApiProblem.unprocessable("unknown-products", List.of(line.productId()))
                        .with("productIds", List.of(line.productId()));
            }
            int qty = lines.merge(line.productId(), line.quantity(), Integer::sum);
            if (qty > SaleRequest.MAX_QUANTITY) {
                throw ApiProblem.badRequest("quantity-too-large", line.productId(), SaleRequest.MAX_QUANTITY);
            }
        }
        return lines;
    }

    /** What makes two requests "the same sale" for the idempotency check. */
    private static String requestHash(long branchId, SaleRequest request, Map<Long, Integer> lines) {
        String canonical = branchId + "|" + request.paymentType() + "|" + blankToNull(request.customerName()) + "|"
                + lines;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void countAfterCommit(Sale sale) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                String branch = Long.toString(sale.getBranchId());
                String payment = sale.getPaymentType().name();
                meters.counter("optik.sales", "branch", branch, "payment_type", payment).increment();
                meters.counter("optik.revenue.rupiah", "branch", branch, "payment_type", payment)
                        .increment(sale.getTotal());
            }
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
