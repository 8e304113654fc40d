package id.optikmelati.api.auth;

import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.ShopPrincipal;
import org.springframework.stereotype.Component;

/**
 * The one rule for which branch a REST call acts on: a KASIR or ADMIN always acts on their own
 * branch (naming another is 403); a SUPER_ADMIN names the branch (it must exist).
 */
@Component
public class BranchAccess {

    private final BranchRepository branches;

    BranchAccess(BranchRepository branches) {
        this.branches = branches;
    }

    /** The branch to act on, when the call needs exactly one. */
    public long resolve(ShopPrincipal user, Long requestedBranch) {
        if (!user.role().seesEveryBranch()) {
            if (requestedBranch != null && !requestedBranch.equals(user.branchId())) {
                throw ApiProblem.forbidden("other-branch", requestedBranch);
            }
            return user.branchId();
        }
        if (requestedBranch == null) {
            throw ApiProblem.badRequest("branch-required");
        }
        requireExists(requestedBranch);
        return requestedBranch;
    }

    /** Checks that the user may act on a branch that the resource already belongs to. */
    public void check(ShopPrincipal user, long branch) {
        if (!user.mayAccessBranch(branch)) {
            throw ApiProblem.forbidden("other-branch", branch);
        }
    }

    public void requireExists(long branch) {
        if (!branches.existsById(branch)) {
            throw ApiProblem.notFound("unknown-branch", branch);
        }
    }
}
