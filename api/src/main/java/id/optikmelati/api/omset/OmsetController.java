package id.optikmelati.api.omset;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.contract.Payloads.Omset;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/omset")
class OmsetController {

    private final OmsetQuery omset;
    private final BranchRepository branches;
    private final BranchAccess branchAccess;
    private final Clock clock;
    private final ShopProperties properties;

    OmsetController(OmsetQuery omset, BranchRepository branches, BranchAccess branchAccess, Clock clock,
            ShopProperties properties) {
        this.omset = omset;
        this.branches = branches;
        this.branchAccess = branchAccess;
        this.clock = clock;
        this.properties = properties;
    }

    /** The chain view a super admin gets: every branch and their sum. */
    record ChainOmset(LocalDate date, List<Omset> branches, long total, long bpjs, long umum, long transactions) {}

    /**
     * A KASIR or ADMIN gets their branch's omset; a super admin gets every branch and the sum, or
     * one branch with {@code branchId}. Today (in the shop's zone) unless {@code date} is given.
     */
    @GetMapping
    Object get(@CurrentUser ShopPrincipal user,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
            @RequestParam(required = false) Long branchId) {
        LocalDate day = date != null ? date : LocalDate.now(clock.withZone(properties.zone()));
        if (!user.role().seesEveryBranch() || branchId != null) {
            return omset.of(branchAccess.resolve(user, branchId), day);
        }
        List<Omset> all = branches.findAll(Sort.by("id")).stream().map(b -> omset.of(b.getId(), day)).toList();
        return new ChainOmset(day, all, all.stream().mapToLong(Omset::total).sum(),
                all.stream().mapToLong(Omset::bpjs).sum(), all.stream().mapToLong(Omset::umum).sum(),
                all.stream().mapToLong(Omset::transactions).sum());
    }
}
