package id.optikmelati.api.stock;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Deliveries from suppliers, booked into a branch's stock. */
@RestController
class DeliveryController {

    private final DeliveryService deliveries;

    DeliveryController(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    record DeliveryRequest(Long branchId, @NotBlank @Size(max = 100) String supplier,
            @NotBlank @Size(max = 100) String reference,
            @NotNull @NotEmpty @Size(max = 200) List<StockLines.@NotNull @Valid Line> items) {}

    record DeliveredLine(long productId, int previousStock, int stock, String alertLevel) {}

    record DeliveryView(long id, long branchId, String supplier, String reference, Instant receivedAt,
            List<DeliveredLine> items) {}

    @PostMapping("/api/deliveries")
    @ResponseStatus(HttpStatus.CREATED)
    DeliveryView receive(@CurrentUser ShopPrincipal user, @Valid @RequestBody DeliveryRequest request) {
        var done = deliveries.receive(user, request.branchId(), request.supplier(), request.reference(), request.items());
        return new DeliveryView(done.id(), done.branchId(), done.supplier(), done.reference(), done.receivedAt(),
                done.movements().stream().map(m -> new DeliveredLine(m.productId(), m.previous(), m.current(),
                        AlertLevel.of(m.current()).wireName())).toList());
    }
}
