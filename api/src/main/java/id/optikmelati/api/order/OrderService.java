package id.optikmelati.api.order;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.Branch;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.branch.DocumentNumbers;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.product.ProductRepository;
import id.optikmelati.api.sale.SaleService;
import id.optikmelati.api.stock.StockEvents;
import id.optikmelati.api.stock.StockLedger;
import id.optikmelati.api.stock.StockLines;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Glasses orders: made with the customer's prescription, their frame and lenses reserved from the
 * branch's stock and a deposit taken; then at the lab, ready (the customer is told), and picked up,
 * when the balance is paid and the order's total is booked as a sale of that day. Cancelling (an
 * admin's call: the deposit is given back) returns the reservation. Every change is one
 * transaction with its {@code order.changed}; an order past its promised date and not ready is
 * announced overdue once ({@link #announceOverdue}).
 */
@Service
class OrderService {

    private final OrderRepository orders;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final OutboxWriter outbox;
    private final DocumentNumbers numbers;
    private final StockLedger ledger;
    private final StockEvents stockEvents;
    private final StockLines lines;
    private final ProductRepository productRepository;
    private final SaleService sales;
    private final EntityManager em;
    private final Clock clock;
    private final ZoneId zone;

    OrderService(OrderRepository orders, BranchRepository branches, BranchAccess branchAccess, OutboxWriter outbox,
            DocumentNumbers numbers, StockLedger ledger, StockEvents stockEvents, StockLines lines,
            ProductRepository productRepository, SaleService sales, EntityManager em, Clock clock,
            ShopProperties properties) {
        this.orders = orders;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.outbox = outbox;
        this.numbers = numbers;
        this.ledger = ledger;
        this.stockEvents = stockEvents;
        this.lines = lines;
        this.productRepository = productRepository;
        this.sales = sales;
        this.em = em;
        this.clock = clock;
        this.zone = properties.zone();
    }

    /** What an order is made of when it is made. */
    record NewOrder(Long branchId, String customerName, String customerPhone, String description,
            Prescription prescription, List<StockLines.Line> items, long deposit, LocalDate promisedDate) {}

    @Transactional(readOnly = true)
    List<CustomerOrder> list(ShopPrincipal user, Long branchId, OrderStatus status) {
        long branch = branchAccess.resolve(user, branchId);
        return status == null ? orders.findTop200ByBranchIdOrderByIdDesc(branch)
                : orders.findTop200ByBranchIdAndStatusOrderByIdDesc(branch, status);
    }

    @Transactional(readOnly = true)
    CustomerOrder get(ShopPrincipal user, long id) {
        CustomerOrder order = orders.findById(id).orElseThrow(() -> ApiProblem.notFound("unknown-order", id));
        branchAccess.check(user, order.getBranchId());
        return order;
    }

    /** The products of the given orders, by id, for their views. */
    @Transactional(readOnly = true)
    Map<Long, Product> productsOf(List<CustomerOrder> found) {
        Map<Long, Product> byId = new TreeMap<>();
        productRepository.findAllById(found.stream().flatMap(o -> o.getItems().stream()).map(OrderItem::getProductId)
                .collect(java.util.stream.Collectors.toSet())).forEach(p -> byId.put(p.getId(), p));
        return byId;
    }

    @Transactional
    CustomerOrder create(ShopPrincipal user, NewOrder request) {
        long branch = branchAccess.resolve(user, request.branchId());
        Prescription prescription = request.prescription() == null ? null : request.prescription().checked();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        if (request.promisedDate().isBefore(today)) {
            throw ApiProblem.badRequest("promised-date-past", request.promisedDate());
        }
        if (request.items().stream().anyMatch(l -> l.quantity() == 0)) {
            throw ApiProblem.badRequest("zero-quantity");
        }
        Map<Long, Product> products = lines.products(request.items());
        List<String> inactive = products.values().stream().filter(p -> !p.isActive()).map(Product::getName).toList();
        if (!inactive.isEmpty()) {
            throw ApiProblem.conflict("order-products-inactive", String.join(", ", inactive));
        }
        CustomerOrder order = new CustomerOrder(numbers.next("PSN", branch, today), branch,
                request.customerName().trim(), blankToNull(request.customerPhone()),
                request.description() == null ? "" : request.description().trim(), prescription,
                request.promisedDate(), user.userId(), now);
        List<StockLedger.Movement> reserved = new ArrayList<>();
        List<SaleService.Shortage> shortages = new ArrayList<>();
        for (StockLines.Line line : StockLines.sorted(request.items())) {
            Product p = products.get(line.productId());
            order.addItem(p.getId(), line.quantity(), p.getPrice());
            ledger.take(branch, p.getId(), line.quantity()).ifPresentOrElse(reserved::add,
                    () -> shortages.add(new SaleService.Shortage(p.getId(), p.getKode(), p.getName(), line.quantity(),
                            ledger.quantity(branch, p.getId()).orElse(0))));
        }
        if (!shortages.isEmpty()) {
            throw ApiProblem.conflict("order-insufficient-stock",
                    String.join(", ", shortages.stream().map(SaleService.Shortage::name).toList()))
                    .with("products", shortages);
        }
        if (request.deposit() > order.getTotal()) {
            throw ApiProblem.badRequest("deposit-over-total", request.deposit(), order.getTotal());
        }
        order.depositOf(request.deposit());
        orders.save(order);
        stockEvents.changed(branches.getReferenceById(branch), reserved, products, "order-reserved", order.getOrderNo());
        published(order, user.username(), now);
        return order;
    }

    /**
     * Moves an order along its way. Picking up books the order as a sale in {@code paymentType} (UMUM
     * when not given); cancelling is for admins and returns the reserved stock.
     */
    @Transactional
    CustomerOrder move(ShopPrincipal user, long id, OrderStatus next, PaymentType paymentType) {
        CustomerOrder order = orders.findForUpdate(id).orElseThrow(() -> ApiProblem.notFound("unknown-order", id));
        branchAccess.check(user, order.getBranchId());
        if (next == OrderStatus.CANCELLED && !user.role().isAdmin()) {
            throw ApiProblem.forbidden("order-cancel-admin-only");
        }
        Instant now = clock.instant();
        if (!order.moveTo(next, now)) {
            throw ApiProblem.conflict("order-status", order.getOrderNo(), order.getStatus().label(), next.label())
                    .with("status", order.getStatus());
        }
        Branch branch = branches.getReferenceById(order.getBranchId());
        if (next == OrderStatus.PICKED_UP) {
            Map<Long, Integer> quantities = new TreeMap<>();
            Map<Long, Long> prices = new TreeMap<>();
            order.getItems().forEach(i -> {
                quantities.put(i.getProductId(), i.getQuantity());
                prices.put(i.getProductId(), i.getUnitPrice());
            });
            order.pickedUpAs(sales.bookOrderPickup(user, order.getBranchId(),
                    paymentType == null ? PaymentType.UMUM : paymentType, order.getCustomerName(), quantities, prices,
                    order.getOrderNo()).id());
        } else if (next == OrderStatus.CANCELLED) {
            List<StockLedger.Movement> released = new ArrayList<>();
            order.getItems().stream().sorted(java.util.Comparator.comparingLong(OrderItem::getProductId)).forEach(i ->
                    released.add(ledger.adjust(order.getBranchId(), i.getProductId(), i.getQuantity()).orElseThrow()));
            stockEvents.changed(branch, released, productsOf(List.of(order)), "order-released", order.getOrderNo());
        } else if (next == OrderStatus.READY) {
            outbox.append(order.getBranchId(), EventType.ORDER_READY, () -> new Payloads.OrderReady(order.getId(),
                    order.getOrderNo(), order.getBranchId(), branch.getName(), order.getCustomerName(),
                    order.getDescription(), order.getReadyAt()));
        }
        published(order, user.username(), now);
        return order;
    }

    /**
     * Announces every order whose promised date has passed while it was not ready: once each, on its
     * branch's stream, with no one as its author. Runs every {@code optik.orders.overdue-check}.
     *
     * @return how many orders fell overdue
     */
    @Transactional
    int announceOverdue() {
        Instant now = clock.instant();
        List<CustomerOrder> due = orders.findFallingOverdue(LocalDate.ofInstant(now, zone), OrderStatus.NOT_READY);
        for (CustomerOrder order : due) {
            order.overdueSince(now);
            published(order, null, now);
        }
        return due.size();
    }

    /** The order's {@code order.changed}, with its branch's overdue count as it stands after the change. */
    private void published(CustomerOrder order, String by, Instant at) {
        em.flush();
        String branchName = branches.getReferenceById(order.getBranchId()).getName();
        outbox.append(order.getBranchId(), EventType.ORDER_CHANGED, () -> new Payloads.OrderChanged(order.getId(),
                order.getOrderNo(), order.getBranchId(), branchName, order.getCustomerName(), order.getStatus().name(),
                order.getPromisedDate(), order.isOverdue(), order.getTotal(), order.getDeposit(), order.getBalance(),
                orders.countOverdue(order.getBranchId(), OrderStatus.NOT_READY), by, at));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
