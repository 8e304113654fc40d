package id.optikmelati.api.order;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.product.Product;
import id.optikmelati.api.stock.StockLines;
import id.optikmelati.contract.PaymentType;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Glasses orders: the customer, the prescription, what is reserved, the money, and the order's way. */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    record OrderRequest(Long branchId, @NotBlank @Size(max = 200) String customerName,
            @NotBlank @Pattern(regexp = "\\+?[0-9][0-9 -]{5,19}") String customerPhone,
            @Size(max = 500) String description, @Valid Prescription prescription,
            @NotEmpty @Size(max = 20) List<StockLines.@Valid @NotNull Line> items,
            @NotNull @Min(0) @Max(1_000_000_000_000L) Long deposit, @NotNull LocalDate promisedDate) {}

    record StatusRequest(@NotNull OrderStatus status, PaymentType paymentType) {}

    record ItemView(long productId, String kode, String name, int quantity, long unitPrice) {}

    record OrderView(long id, String orderNo, long branchId, String customerName, String customerPhone,
            String description, Prescription prescription, List<ItemView> items, long total, long deposit,
            long balance, LocalDate promisedDate, OrderStatus status, boolean overdue, Long saleId, Instant createdAt,
            Instant atLabAt, Instant readyAt, Instant pickedUpAt, Instant cancelledAt) {
        static OrderView of(CustomerOrder o, Map<Long, Product> products) {
            return new OrderView(o.getId(), o.getOrderNo(), o.getBranchId(), o.getCustomerName(), o.getCustomerPhone(),
                    o.getDescription(), o.getPrescription(), o.getItems().stream().map(i -> {
                        Product p = products.get(i.getProductId());
                        return new ItemView(i.getProductId(), p.getKode(), p.getName(), i.getQuantity(),
                                i.getUnitPrice());
                    }).toList(), o.getTotal(), o.getDeposit(), o.getBalance(), o.getPromisedDate(), o.getStatus(),
                    o.isOverdue(), o.getSaleId(), o.getCreatedAt(), o.getAtLabAt(), o.getReadyAt(), o.getPickedUpAt(),
                    o.getCancelledAt());
        }
    }

    record OverdueCount(long branchId, int overdue) {}

    @GetMapping
    List<OrderView> list(@CurrentUser ShopPrincipal user, @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) OrderStatus status) {
        List<CustomerOrder> found = orders.list(user, branchId, status);
        Map<Long, Product> products = orders.productsOf(found);
        return found.stream().map(o -> OrderView.of(o, products)).toList();
    }

    @GetMapping("/{id}")
    OrderView get(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return view(orders.get(user, id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    OrderView create(@CurrentUser ShopPrincipal user, @Valid @RequestBody OrderRequest r) {
        return view(orders.create(user, new OrderService.NewOrder(r.branchId(), r.customerName(), r.customerPhone(),
                r.description(), r.prescription(), r.items(), r.deposit(), r.promisedDate())));
    }

    @PostMapping("/{id}/status")
    OrderView move(@CurrentUser ShopPrincipal user, @PathVariable long id, @Valid @RequestBody StatusRequest r) {
        return view(orders.move(user, id, r.status(), r.paymentType()));
    }

    private OrderView view(CustomerOrder order) {
        return OrderView.of(order, orders.productsOf(List.of(order)));
    }
}
