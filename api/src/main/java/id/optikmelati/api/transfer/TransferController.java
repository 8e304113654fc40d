package id.optikmelati.api.transfer;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.stock.StockLines;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

/** Transfers of stock between branches, and their steps. */
@RestController
@RequestMapping("/api/transfers")
class TransferController {

    private final TransferService transfers;

    TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    record TransferRequest(@NotNull Long fromBranchId, Long toBranchId,
            @NotNull @NotEmpty @Size(max = 200) List<StockLines.@NotNull @Valid Line> items,
            @Size(max = 500) String note) {}

    record ReceiveRequest(@Size(max = 200) List<StockLines.@NotNull @Valid Line> items) {}

    @GetMapping
    List<TransferRepository.Transfer> list(@CurrentUser ShopPrincipal user, @RequestParam(required = false) Long branchId,
            @RequestParam(required = false) TransferStatus status) {
        return transfers.list(user, branchId, status);
    }

    /** Units on their way to the branch (sent, not received), per product. */
    @GetMapping("/in-transit")
    List<TransferRepository.InTransit> inTransit(@CurrentUser ShopPrincipal user,
            @RequestParam(required = false) Long branchId) {
        return transfers.inTransit(user, branchId);
    }

    /** Where to ask for a product that ran low here; 204 when no other branch can spare any. */
    @GetMapping("/suggestion")
    org.springframework.http.ResponseEntity<TransferService.Suggestion> suggestion(@CurrentUser ShopPrincipal user,
            @RequestParam long productId, @RequestParam(required = false) Long branchId) {
        return transfers.suggest(user, productId, branchId).map(org.springframework.http.ResponseEntity::ok)
                .orElseGet(() -> org.springframework.http.ResponseEntity.noContent().build());
    }

    @GetMapping("/{id}")
    TransferRepository.Transfer get(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return transfers.get(user, id);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TransferRepository.Transfer request(@CurrentUser ShopPrincipal user, @Valid @RequestBody TransferRequest request) {
        return transfers.request(user, request.fromBranchId(), request.toBranchId(), request.items(), request.note());
    }

    @PostMapping("/{id}/send")
    TransferRepository.Transfer send(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return transfers.send(user, id);
    }

    @PostMapping("/{id}/receive")
    TransferRepository.Transfer receive(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @Valid @RequestBody(required = false) ReceiveRequest request) {
        return transfers.receive(user, id, request == null || request.items() == null ? List.of() : request.items());
    }

    @PostMapping("/{id}/cancel")
    TransferRepository.Transfer cancel(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return transfers.cancel(user, id);
    }
}
