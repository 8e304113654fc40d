package id.optikmelati.api.stock;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.contract.AlertLevel;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Restocks and corrections, by the branch's ADMIN or a SUPER_ADMIN. */
@RestController
class StockAdjustmentController {

    private final StockAdjustmentService adjustments;

    StockAdjustmentController(StockAdjustmentService adjustments) {
        this.adjustments = adjustments;
    }

    record AdjustmentRequest(
            Long branchId,
            @NotNull @Min(-100_000) @Max(100_000) Integer delta,
            @NotBlank @Size(max = 200) String reason) {}

    record AdjustmentResult(long productId, long branchId, int previousStock, int stock, String alertLevel) {}

    @PostMapping("/api/products/{id}/stock-adjustments")
    @ResponseStatus(HttpStatus.CREATED)
    AdjustmentResult adjust(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @Valid @RequestBody AdjustmentRequest request) {
        var done = adjustments.adjust(user, id, request.branchId(), request.delta(), request.reason());
        return new AdjustmentResult(id, done.branchId(), done.movement().previous(), done.movement().current(),
                AlertLevel.of(done.movement().current()).wireName());
    }
}
