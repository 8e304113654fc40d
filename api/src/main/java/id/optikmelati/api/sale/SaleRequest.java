package id.optikmelati.api.sale;

import id.optikmelati.contract.PaymentType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A sale as the cashier submits it; prices come from the product list, never from the client. */
public record SaleRequest(
        Long branchId,
        @NotNull PaymentType paymentType,
        @Size(max = 200) String customerName,
        @NotEmpty @Size(max = 100) List<@Valid @NotNull Line> items) {

    public static final int MAX_QUANTITY = 1000;

    public record Line(@NotNull Long productId, @NotNull @Min(1) @Max(MAX_QUANTITY) Integer quantity) {}
}
