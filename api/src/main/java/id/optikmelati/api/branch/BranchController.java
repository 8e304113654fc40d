package id.optikmelati.api.branch;

import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.contract.ShopPrincipal;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/branches")
class BranchController {

    private final BranchRepository branches;

    BranchController(BranchRepository branches) {
        this.branches = branches;
    }

    record BranchView(long id, String name) {}

    /** The branches the caller may see: all of them for a super admin, their own for everyone else. */
    @GetMapping
    List<BranchView> list(@CurrentUser ShopPrincipal user) {
        return branches.findAll(Sort.by("id")).stream()
                .filter(b -> user.mayAccessBranch(b.getId()))
                .map(b -> new BranchView(b.getId(), b.getName()))
                .toList();
    }
}
