package id.optikmelati.api.auth;

import id.optikmelati.contract.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A staff account. Tokens issued before {@code tokensValidAfter} are refused everywhere: it moves
 * on when the account is deactivated, its password reset or changed, or its role or branch changes
 * (a token carries the role and branch it was issued with).
 */
@Entity
@Table(name = "app_user")
public class AppUser {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Role role;

    @Column(name = "branch_id")
    private Long branchId;

    @Column(nullable = false)
    private boolean active = true;

    @Column(name = "must_change_password", nullable = false)
    private boolean mustChangePassword;

    @Column(name = "tokens_valid_after")
    private Instant tokensValidAfter;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Instant.now();

    @Version
    private long version;

    protected AppUser() {}

    public AppUser(String username, String passwordHash, Role role, Long branchId) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
        this.branchId = branchId;
    }

    /**
     * Refuses every token issued so far, this second's included: JWT times are whole seconds, so a
     * token from earlier in this second could not be told apart from a later one.
     */
    private void revokeTokens(Instant now) {
        tokensValidAfter = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    }

    public void deactivate(Instant now) {
        active = false;
        revokeTokens(now);
    }

    public void reactivate() {
        active = true;
    }

    /** A password an admin set: the user must choose their own at the next login. */
    public void resetPassword(String hash, Instant now) {
        passwordHash = hash;
        mustChangePassword = true;
        revokeTokens(now);
    }

    /** A password an admin chose for a new account: its user chooses their own at the first login. */
    public void requirePasswordChange() {
        mustChangePassword = true;
    }

    /**
     * The user's own new password; their other sessions end, but for tokens of this very second, such
     * as the one issued with the change.
     */
    public void changePassword(String hash, Instant now) {
        passwordHash = hash;
        mustChangePassword = false;
        tokensValidAfter = now.truncatedTo(ChronoUnit.SECONDS);
    }

    public void assign(Role role, Long branchId, Instant now) {
        if (role != this.role || !Objects.equals(branchId, this.branchId)) {
            this.role = role;
            this.branchId = branchId;
            revokeTokens(now);
        }
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public Role getRole() {
        return role;
    }

    public Long getBranchId() {
        return branchId;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isMustChangePassword() {
        return mustChangePassword;
    }

    public Instant getTokensValidAfter() {
        return tokensValidAfter;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public long getVersion() {
        return version;
    }
}
