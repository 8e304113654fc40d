package id.optikmelati.api.order;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.web.ShopDates;
import id.optikmelati.api.web.ShopPage;
import id.optikmelati.contract.ShopPrincipal;
import java.time.ZoneId;
import java.util.List;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * An order's slip (nota pesanan), for the customer to take home: the order number read out at
 * pickup, the prescription, what was ordered, the deposit and the balance, the promised date. Printed
 * on the same thermal paper as a receipt.
 */
@Controller
@ShopPage
class OrderSlipPage {

    private final OrderService orders;
    private final BranchRepository branches;
    private final ZoneId zone;

    OrderSlipPage(OrderService orders, BranchRepository branches, ShopProperties properties) {
        this.orders = orders;
        this.branches = branches;
        this.zone = properties.zone();
    }

    @GetMapping("/pesanan/{id:\\d+}/nota")
    String slip(@CurrentUser ShopPrincipal user, @PathVariable long id, Model model) {
        CustomerOrder order = orders.get(user, id);
        var locale = LocaleContextHolder.getLocale();
        model.addAttribute("order", OrderController.OrderView.of(order, orders.productsOf(List.of(order))));
        model.addAttribute("branchName", branches.findById(order.getBranchId()).orElseThrow().getName());
        model.addAttribute("orderedAt", ShopDates.dateTime(order.getCreatedAt(), zone, locale));
        model.addAttribute("promisedOn", ShopDates.date(order.getPromisedDate(), locale));
        return "order-slip";
    }
}
