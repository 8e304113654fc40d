package id.optikmelati.api.dayclose;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.web.ShopDates;
import id.optikmelati.api.web.ShopPage;
import id.optikmelati.contract.ShopPrincipal;
import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** A closed day's Z report, for printing: the figures as the close fixed them, and who closed it when. */
@Controller
@ShopPage
class ZReportPage {

    private final DayCloseService days;
    private final BranchAccess branchAccess;
    private final ZoneId zone;

    ZReportPage(DayCloseService days, BranchAccess branchAccess, ShopProperties properties) {
        this.days = days;
        this.branchAccess = branchAccess;
        this.zone = properties.zone();
    }

    @GetMapping("/tutup-hari/z")
    String report(@CurrentUser ShopPrincipal user, @RequestParam(name = "branch", required = false) Long branch,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date, Model model) {
        DayCloseService.Day day = days.day(user, branchAccess.resolve(user, branch), date);
        if (!day.closed()) {
            throw ApiProblem.conflict("day-not-closed");
        }
        var locale = LocaleContextHolder.getLocale();
        model.addAttribute("day", day);
        model.addAttribute("dateText", ShopDates.date(date, locale));
        model.addAttribute("closedAt", ShopDates.dateTime(day.closedAt(), zone, locale));
        return "z-report";
    }
}
