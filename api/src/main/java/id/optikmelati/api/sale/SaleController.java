package id.optikmelati.api.sale;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.ShopPrincipal;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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
    private final SaleReturnService returns;
    private final SaleDetails details;

    SaleController(SaleService sales, SaleReturnService returns, SaleDetails details) {
        this.sales = sales;
        this.returns = returns;
        this.details = details;
    }

    /**
     * Records a sale. The {@code Idempotency-Key} header makes retries safe: the same key (from the
     * same user) returns the first sale again and sells nothing twice.
     */
    @PostMapping
    @ApiResponse(responseCode = "201", description = "The sale (again, with Idempotent-Replayed: true, on a retry)")
    ResponseEntity<SaleView> create(@CurrentUser ShopPrincipal user,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
            @Valid @RequestBody SaleRequest request) {
        requireKey(key);
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

    /** One sale: its lines, its returns and void, who did what when. */
    @GetMapping("/{id}")
    SaleDetails.SaleDetail detail(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return details.of(user, id);
    }

    /** Voids a whole sale (what is left of it): admins of its branch, or a super admin. */
    @PostMapping("/{id}/void")
    @ApiResponse(responseCode = "201", description = "The sale as voided")
    @ApiResponse(responseCode = "200", description = "A retry: the sale as the first void left it")
    ResponseEntity<SaleDetails.SaleDetail> voidSale(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key, @Valid @RequestBody VoidRequest request) {
        requireKey(key);
        return answer(returns.voidSale(user, id, request.reason(), key));
    }

    /** Returns some items of a sale, each at most what is left of its line. */
    @PostMapping("/{id}/returns")
    @ApiResponse(responseCode = "201", description = "The sale with this return")
    @ApiResponse(responseCode = "200", description = "A retry: the sale as the first return left it")
    ResponseEntity<SaleDetails.SaleDetail> returnItems(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
            @Valid @RequestBody ReturnRequest request) {
        requireKey(key);
        return answer(returns.returnItems(user, id, request.reason(), request.items(), key));
    }

    private static ResponseEntity<SaleDetails.SaleDetail> answer(SaleReturnService.Result result) {
        return ResponseEntity.status(result.replayed() ? 200 : 201)
                .header("Idempotent-Replayed", Boolean.toString(result.replayed()))
                .body(result.sale());
    }

    /** A retry of a write with the same key is answered with the first one's outcome and changes nothing. */
    private static void requireKey(String key) {
        if (key == null || key.isBlank() || key.length() > 100 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiProblem.badRequest("idempotency-key-required");
        }
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
