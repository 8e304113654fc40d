package id.optikmelati.api.order;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Customer orders and their pickup status. */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
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
    List<OrderView> list(@CurrentUser ShopPrincipal user, @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) OrderStatus status) {
        return orders.list(user, branchId, status).stream().map(OrderView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    OrderView create(@CurrentUser ShopPrincipal user, @Valid @RequestBody OrderRequest request) {
        return OrderView.of(orders.create(user, request.branchId(), request.customerName(), request.description()));
    }

    @PostMapping("/{id}/ready")
    OrderView ready(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return OrderView.of(orders.ready(user, id));
    }

    @PostMapping("/{id}/picked-up")
    OrderView pickedUp(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return OrderView.of(orders.pickedUp(user, id));
    }
}
