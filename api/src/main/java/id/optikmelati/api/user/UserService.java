package id.optikmelati.api.user;

import id.optikmelati.api.auth.AppUser;
import id.optikmelati.api.auth.BranchAccess;
import id.optikmelati.api.auth.PasswordPolicy;
import id.optikmelati.api.auth.TokenRevocations;
import id.optikmelati.api.auth.UserRepository;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.api.outbox.OutboxWriter;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.EventType;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.data.domain.Sort;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff accounts. A super admin manages every account; a branch's admin the kasir accounts of their
 * own branch, and nothing above them. Nobody deactivates themselves or demotes the chain's last
 * super admin. Every change is a {@code user.changed} event; a deactivation, a password reset or a
 * new role or branch also revokes the account's tokens (the API refuses them at once, the realtime
 * nodes end their streams within seconds).
 */
@Service
public class UserService {

    private static final Pattern USERNAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{2,49}$");

    private final UserRepository users;
    private final BranchAccess branchAccess;
    private final PasswordPolicy policy;
    private final PasswordEncoder passwords;
    private final OutboxWriter outbox;
    private final TokenRevocations revocations;
    private final BranchRepository branches;
    private final Clock clock;

    UserService(UserRepository users, BranchAccess branchAccess, PasswordPolicy policy, PasswordEncoder passwords,
            OutboxWriter outbox, TokenRevocations revocations, BranchRepository branches, Clock clock) {
        this.users = users;
        this.branchAccess = branchAccess;
        this.policy = policy;
        this.passwords = passwords;
        this.outbox = outbox;
        this.revocations = revocations;
        this.branches = branches;
        this.clock = clock;
    }

    /** A new account, with the password it starts from (which its user must change at first login). */
    public record Created(AppUser user) {}

    /** An account whose password was reset: the temporary password, shown once to the admin. */
    public record Reset(AppUser user, String temporaryPassword) {}

    @Transactional(readOnly = true)
    public List<AppUser> list(ShopPrincipal caller) {
        requireAdmin(caller);
        return users.findAll(Sort.by("username")).stream()
                .filter(u -> caller.role() == Role.SUPER_ADMIN || caller.branchId().equals(u.getBranchId()))
                .toList();
    }

    @Transactional
    public AppUser create(ShopPrincipal caller, String username, Role role, Long branchId, String password) {
        requireAdmin(caller);
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("bad-username");
        }
        Long branch = branchOf(caller, role, branchId);
        if (users.findByUsername(name).isPresent()) {
            throw ApiProblem.conflict("duplicate-username", name);
        }
        policy.check(name, password);
        AppUser user = new AppUser(name, passwords.encode(password), role, branch);
        user.requirePasswordChange();
        users.saveAndFlush(user);
        announce(caller, user, "created", null);
        return user;
    }

    /** A new role or branch (super admin only); the account's tokens, which carry both, are revoked. */
    @Transactional
    public AppUser assign(ShopPrincipal caller, long id, Role role, Long branchId) {
        if (caller.role() != Role.SUPER_ADMIN) {
            throw ApiProblem.forbidden("users-super-admin-only");
        }
        AppUser user = find(id);
        Long branch = branchOf(caller, role, branchId);
        if (user.getRole() == Role.SUPER_ADMIN && role != Role.SUPER_ADMIN) {
            keepOneSuperAdmin(user);
        }
        if (user.getId() == caller.userId() && role != user.getRole()) {
            throw ApiProblem.conflict("user-self");
        }
        Instant before = user.getTokensValidAfter();
        Long formerBranch = user.getBranchId();
        user.assign(role, branch, clock.instant());
        users.flush();
        announce(caller, user, "updated", formerBranch);
        if (user.getTokensValidAfter() != null && !user.getTokensValidAfter().equals(before)) {
            revocations.afterCommit(user.getId(), user.getTokensValidAfter());
        }
        return user;
    }

    @Transactional
    public AppUser deactivate(ShopPrincipal caller, long id) {
        AppUser user = manageable(caller, id);
        if (user.getId() == caller.userId()) {
            throw ApiProblem.conflict("user-self");
        }
        if (!user.isActive()) {
            throw ApiProblem.conflict("user-already-inactive", user.getUsername());
        }
        if (user.getRole() == Role.SUPER_ADMIN) {
            keepOneSuperAdmin(user);
        }
        user.deactivate(clock.instant());
        users.flush();
        announce(caller, user, "deactivated", null);
        revocations.afterCommit(user.getId(), user.getTokensValidAfter());
        return user;
    }

    @Transactional
    public AppUser reactivate(ShopPrincipal caller, long id) {
        AppUser user = manageable(caller, id);
        if (user.isActive()) {
            throw ApiProblem.conflict("user-already-active", user.getUsername());
        }
        user.reactivate();
        users.flush();
        announce(caller, user, "reactivated", null);
        return user;
    }

    /** A temporary password, which the user must replace at the next login; their sessions end. */
    @Transactional
    public Reset resetPassword(ShopPrincipal caller, long id) {
        AppUser user = manageable(caller, id);
        if (user.getId() == caller.userId()) {
            throw ApiProblem.conflict("user-self");
        }
        String temporary = policy.temporary();
        user.resetPassword(passwords.encode(temporary), clock.instant());
        users.flush();
        announce(caller, user, "password-reset", null);
        revocations.afterCommit(user.getId(), user.getTokensValidAfter());
        return new Reset(user, temporary);
    }

    /** The user's own new password, given the current one; their other sessions end. */
    @Transactional
    public AppUser changeOwnPassword(ShopPrincipal caller, String current, String next) {
        AppUser user = find(caller.userId());
        if (current == null || !passwords.matches(current, user.getPasswordHash())) {
            throw ApiProblem.badRequest("password-wrong");
        }
        policy.check(user.getUsername(), next);
        if (passwords.matches(next, user.getPasswordHash())) {
            throw ApiProblem.badRequest("password-unchanged");
        }
        user.changePassword(passwords.encode(next), clock.instant());
        users.flush();
        announce(caller, user, "password-changed", null);
        revocations.afterCommit(user.getId(), user.getTokensValidAfter());
        return user;
    }

    private AppUser find(long id) {
        return users.findById(id).orElseThrow(() -> ApiProblem.notFound("unknown-user", id));
    }

    /** An account the caller may deactivate, reactivate or reset: a branch admin only their own branch's kasir. */
    private AppUser manageable(ShopPrincipal caller, long id) {
        requireAdmin(caller);
        AppUser user = find(id);
        if (caller.role() != Role.SUPER_ADMIN) {
            if (!caller.branchId().equals(user.getBranchId())) {
                throw ApiProblem.forbidden("other-branch", user.getBranchId());
            }
            if (user.getRole() != Role.KASIR) {
                throw ApiProblem.forbidden("users-kasir-only");
            }
        }
        return user;
    }

    /** The branch an account of this role gets: none for a super admin, the admin's own for an admin's kasir. */
    private Long branchOf(ShopPrincipal caller, Role role, Long branchId) {
        if (role == null) {
            throw ApiProblem.badRequest("role-required");
        }
        if (caller.role() != Role.SUPER_ADMIN && role != Role.KASIR) {
            throw ApiProblem.forbidden("role-not-grantable", role);
        }
        if (role == Role.SUPER_ADMIN) {
            if (branchId != null) {
                throw ApiProblem.badRequest("super-admin-no-branch");
            }
            return null;
        }
        return branchAccess.resolve(caller, branchId);
    }

    private void keepOneSuperAdmin(AppUser leaving) {
        long others = users.findAll().stream().filter(u -> u.getRole() == Role.SUPER_ADMIN && u.isActive()
                && !u.getId().equals(leaving.getId())).count();
        if (others == 0) {
            throw ApiProblem.conflict("last-super-admin");
        }
    }

    private static void requireAdmin(ShopPrincipal caller) {
        if (!caller.role().isAdmin()) {
            throw ApiProblem.forbidden("users-admin-only");
        }
    }

    /**
     * A {@code user.changed} on the account's branch's stream, where its admins' screens see it (and
     * on the branch it left, if it moved); a super admin's account belongs to no branch, so its change
     * goes to every branch's stream.
     */
    private void announce(ShopPrincipal caller, AppUser user, String change, Long formerBranch) {
        Instant now = clock.instant();
        Set<Long> streams = new TreeSet<>();
        if (user.getBranchId() == null) {
            streams.addAll(branches.findAllIds());
        } else {
            streams.add(user.getBranchId());
        }
        if (formerBranch != null) {
            streams.add(formerBranch);
        }
        for (long branch : streams) {
            outbox.append(branch, EventType.USER_CHANGED, () -> new Payloads.UserChanged(user.getId(),
                    user.getUsername(), user.getRole(), user.getBranchId(), user.isActive(), user.isMustChangePassword(),
                    change, caller.username(), now));
        }
    }
}
