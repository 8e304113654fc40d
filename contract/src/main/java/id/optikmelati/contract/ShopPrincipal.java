package id.optikmelati.contract;

import java.time.Instant;

/**
 * The authenticated user as every node sees it, read from the access token with no call to the API.
 *
 * @param branchId the user's branch; null only for a super admin
 * @param issuedAt when the token was issued: one issued before the user's tokens were revoked
 *     (deactivated, password reset, new role or branch) is refused
 * @param sessionId the login session the token belongs to (renewals keep it; a logout ends it); null
 *     for a token issued outside a login, which cannot be renewed
 */
public record ShopPrincipal(long userId, String username, Role role, Long branchId, Instant expiresAt,
        Instant issuedAt, String sessionId) {

    public ShopPrincipal {
        if (role == null || username == null) {
            throw new IllegalArgumentException("role and username are required");
        }
        if ((branchId == null) != (role == Role.SUPER_ADMIN)) {
            throw new IllegalArgumentException("every user but a super admin belongs to exactly one branch");
        }
    }

    /** Whether this user may act on (or see) the given branch. */
    public boolean mayAccessBranch(long branch) {
        return role.seesEveryBranch() || (branchId != null && branchId == branch);
    }
}
