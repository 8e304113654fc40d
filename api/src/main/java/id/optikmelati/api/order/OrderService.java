package id.optikmelati.api.order;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.branch.DocumentNumbers;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Customer orders and their pickup status; anyone in the branch may move an order along. */
@Service
class OrderService {

    private final OrderRepository orders;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final OutboxWriter outbox;
    private final DocumentNumbers numbers;
    private final Clock clock;
    private final ZoneId zone;

    OrderService(OrderRepository orders, BranchRepository branches, BranchAccess branchAccess, OutboxWriter outbox,
            DocumentNumbers numbers, Clock clock, ShopProperties properties) {
        this.orders = orders;
        this.numbers = numbers;
        this.zone = properties.zone();
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    List<CustomerOrder> list(ShopPrincipal user, Long branchId, OrderStatus status) {
        long branch = branchAccess.resolve(user, branchId);
        return status == null ? orders.findByBranchIdOrderByIdDesc(branch)
                : orders.findByBranchIdAndStatusOrderByIdDesc(branch, status);
    }

    @Transactional
    CustomerOrder create(ShopPrincipal user, Long branchId, String customerName, String description) {
        long branch = branchAccess.resolve(user, branchId);
        String orderNo = numbers.next("PSN", branch, LocalDate.ofInstant(clock.instant(), zone));
        return orders.save(new CustomerOrder(orderNo, branch, customerName.trim(), description.trim(), user.userId(),
                clock.instant()));
    }

    /** The order is ready: every screen of its branch hears so. */
    @Transactional
    CustomerOrder ready(ShopPrincipal user, long id) {
        CustomerOrder order = advance(user, id, OrderStatus.READY);
        outbox.append(order.getBranchId(), EventType.ORDER_READY, () -> new Payloads.OrderReady(order.getId(),
                order.getOrderNo(), order.getBranchId(), branches.getReferenceById(order.getBranchId()).getName(),
                order.getCustomerName(), order.getDescription(), order.getReadyAt()));
        return order;
    }

    @Transactional
    CustomerOrder pickedUp(ShopPrincipal user, long id) {
        return advance(user, id, OrderStatus.PICKED_UP);
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
