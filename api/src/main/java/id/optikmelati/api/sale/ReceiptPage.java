package id.optikmelati.api.sale;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.web.ShopDates;
import id.optikmelati.api.web.ShopPage;
import id.optikmelati.contract.ShopPrincipal;
import java.time.ZoneId;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A sale's receipt (struk), rendered on the server for printing: on 58 mm or 80 mm thermal paper
 * ({@code ?kertas=58|80}, 80 by default) or A4 ({@code kertas=a4}), dates in Asia/Jakarta, money
 * and dates in the page's language. A voided sale's receipt says so across it.
 */
@Controller
@ShopPage
class ReceiptPage {

    private final SaleDetails details;
    private final ZoneId zone;

    ReceiptPage(SaleDetails details, ShopProperties properties) {
        this.details = details;
        this.zone = properties.zone();
    }

    @GetMapping("/penjualan/{id:\\d+}/struk")
    String receipt(@CurrentUser ShopPrincipal user, @PathVariable long id,
            @RequestParam(name = "kertas", defaultValue = "80") String paper, Model model) {
        SaleDetails.SaleDetail sale = details.of(user, id);
        var locale = LocaleContextHolder.getLocale();
        model.addAttribute("sale", sale);
        model.addAttribute("soldAt", ShopDates.dateTime(sale.createdAt(), zone, locale));
        model.addAttribute("returnedAt", sale.returns().stream().map(r -> ShopDates.dateTime(r.at(), zone, locale)).toList());
        model.addAttribute("paper", switch (paper) {
            case "58" -> "58";
            case "a4", "A4" -> "a4";
            default -> "80";
        });
        return "receipt";
    }
}
