package id.optikmelati.api.order;

import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Customer orders and their pickup status. Anyone in the branch may move an order along. */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderRepository orders;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final OutboxWriter outbox;
    private final Clock clock;

    OrderController(OrderRepository orders, BranchRepository branches, BranchAccess branchAccess,
            OutboxWriter outbox, Clock clock) {
        this.orders = orders;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.outbox = outbox;
        this.clock = clock;
    }

    record OrderRequest(Long branchId, @NotBlank @Size(max = 200) String customerName,
            @NotBlank @Size(max = 500) String description) {}

    record OrderView(long id, String orderNo, long branchId, String customerName, String description,
            OrderStatus status, Instant createdAt, Instant readyAt, Instant pickedUpAt) {
        static OrderView of(CustomerOrder o) {
            return new OrderView(o.getId(), o.getOrderNo(), o.getBranchId(), o.getCustomerName(), o.getDescription(),
                    o.getStatus(), o.getCreatedAt(), o.getReadyAt(), o.getPickedUpAt());
        }
    }

    @GetMapping
    @Transactional(readOnly = true)
    List<OrderView> list(@CurrentUser ShopPrincipal user, @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) OrderStatus status) {
        long branch = branchAccess.resolve(user, branchId);
        List<CustomerOrder> found = status == null
                ? orders.findByBranchIdOrderByIdDesc(branch)
                : orders.findByBranchIdAndStatusOrderByIdDesc(branch, status);
        return found.stream().map(OrderView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    OrderView create(@CurrentUser ShopPrincipal user, @Valid @RequestBody OrderRequest request) {
        long branch = branchAccess.resolve(user, request.branchId());
        String orderNo = "ORD-" + branch + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        return OrderView.of(orders.save(new CustomerOrder(orderNo, branch, request.customerName().trim(),
                request.description().trim(), user.userId(), clock.instant())));
    }

    @PostMapping("/{id}/ready")
    @Transactional
    OrderView ready(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        CustomerOrder order = advance(user, id, OrderStatus.READY);
        long seq = outbox.nextSeq(order.getBranchId());
        outbox.append(order.getBranchId(), seq, EventType.ORDER_READY, new Payloads.OrderReady(order.getId(),
                order.getOrderNo(), order.getBranchId(), branches.getReferenceById(order.getBranchId()).getName(),
                order.getCustomerName(), order.getDescription(), order.getReadyAt()));
        return OrderView.of(order);
    }

    @PostMapping("/{id}/picked-up")
    @Transactional
    OrderView pickedUp(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return OrderView.of(advance(user, id, OrderStatus.PICKED_UP));
    }

    private CustomerOrder advance(ShopPrincipal user, long id, OrderStatus next) {
        CustomerOrder order = orders.findForUpdate(id).orElseThrow(() -> ApiProblem.notFound("unknown-order", id));
        branchAccess.check(user, order.getBranchId());
        if (!order.advanceTo(next, clock.instant())) {
            throw ApiProblem.conflict("order-status", order.getOrderNo(), order.getStatus(), next)
                    .with("status", order.getStatus());
        }
        return order;
    }
}
