package id.optikmelati.contract;

/** Who a user is in the shop. Everyone but a super admin belongs to exactly one branch. */
public enum Role {
    SUPER_ADMIN,
    ADMIN,
    KASIR;

    public boolean seesEveryBranch() {
        return this == SUPER_ADMIN;
    }

    public boolean isAdmin() {
        return this == SUPER_ADMIN || this == ADMIN;
    }
}
