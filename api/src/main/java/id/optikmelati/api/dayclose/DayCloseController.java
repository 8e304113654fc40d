package id.optikmelati.api.dayclose;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A branch's end of day: its figures, the close with the cash counted, and a reopen. Admins only. */
@RestController
@RequestMapping("/api/branches/{branchId}/day-close")
class DayCloseController {

    private final DayCloseService days;

    DayCloseController(DayCloseService days) {
        this.days = days;
    }

    record CloseRequest(@NotNull LocalDate date, @NotNull @Min(0) @Max(1_000_000_000_000L) Long cashCounted,
            @Size(max = 500) String note) {}

    record ReopenRequest(@NotBlank @Size(max = 500) String reason) {}

    @GetMapping
    DayCloseService.Day day(@CurrentUser ShopPrincipal user, @PathVariable long branchId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date) {
        return days.day(user, branchId, date);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    DayCloseService.Day close(@CurrentUser ShopPrincipal user, @PathVariable long branchId,
            @Valid @RequestBody CloseRequest r) {
        return days.close(user, branchId, r.date(), r.cashCounted(), r.note());
    }

    @PostMapping("/{date}/reopen")
    DayCloseService.Day reopen(@CurrentUser ShopPrincipal user, @PathVariable long branchId,
            @PathVariable @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @Valid @RequestBody ReopenRequest r) {
        return days.reopen(user, branchId, date, r.reason());
    }
}
