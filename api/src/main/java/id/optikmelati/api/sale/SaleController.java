package id.optikmelati.api.sale;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/sales")
class SaleController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final SaleService sales;

    SaleController(SaleService sales) {
        this.sales = sales;
    }

    /**
     * Records a sale. The {@code Idempotency-Key} header makes retries safe: the same key (from the
     * same user) returns the first sale again and sells nothing twice.
     */
    @PostMapping
    ResponseEntity<SaleView> create(@CurrentUser ShopPrincipal user,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
            @Valid @RequestBody SaleRequest request) {
        if (key == null || key.isBlank() || key.length() > 100 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiProblem.badRequest("idempotency-key-required");
        }
        SaleService.Result result;
        try {
            result = sales.create(user, request, key);
        } catch (SaleService.KeyRace e) {
            // A concurrent request with the same key committed first: answer with its sale.
            result = sales.earlier(user, request, key).orElseThrow(() -> e);
        }
        return ResponseEntity.created(URI.create("/api/sales/" + result.sale().id()))
                .header("Idempotent-Replayed", Boolean.toString(result.replayed()))
                .body(result.sale());
    }

    /** The latest sales of a branch, newest first (the dashboard's table). */
    @GetMapping
    List<SaleView> latest(@CurrentUser ShopPrincipal user, @RequestParam(required = false) Long branchId,
            @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 200) {
            throw ApiProblem.badRequest("bad-limit", 200);
        }
        return sales.latest(user, branchId, limit);
    }
}
