package id.optikmelati.api.sale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Items of a sale coming back, and why. */
public record ReturnRequest(
        @NotBlank @Size(max = 200) String reason,
        @NotEmpty @Size(max = 100) List<@Valid @NotNull Line> items) {

    public record Line(@NotNull Long productId, @NotNull @Min(1) @Max(SaleRequest.MAX_QUANTITY) Integer quantity) {}
}
