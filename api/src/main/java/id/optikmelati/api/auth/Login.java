package id.optikmelati.api.auth;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks credentials and issues the access token, for the JSON endpoint and the login form alike.
 * The token also travels as an HttpOnly cookie: the browser's "session", which the realtime nodes
 * accept too (an EventSource cannot send headers). Each login opens a {@link LoginSessions session}:
 * its token is renewed before it expires (a shift outlasts a token), up to the session's absolute
 * end, and a logout ends it.
 */
@Component
public class Login {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final AccessTokens tokens;
    private final ShopProperties.Auth auth;
    private final LoginThrottle throttle;
    private final LoginSessions sessions;
    private final AccountStatus accounts;
    private final TokenRevocations revocations;
    private final Clock clock;
    /** Compared against when the user does not exist, so a wrong username costs as much as a wrong password. */
    private final String dummyHash;

    Login(UserRepository users, PasswordEncoder passwords, AccessTokens tokens, ShopProperties properties,
            LoginThrottle throttle, LoginSessions sessions, AccountStatus accounts, TokenRevocations revocations,
            Clock clock) {
        this.throttle = throttle;
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.auth = properties.auth();
        this.sessions = sessions;
        this.accounts = accounts;
        this.revocations = revocations;
        this.clock = clock;
        this.dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }

    /**
     * A token and what it stands for.
     *
     * @param ttl how long the token lives
     * @param sessionEnd when its session ends, renewals or not
     */
    public record Issued(String token, Duration ttl, Instant sessionEnd, long userId, String username, Role role,
            Long branchId, boolean mustChangePassword) {}

    /** The password was right, but the account is deactivated: no token. */
    public static final class Inactive extends RuntimeException {
        Inactive() {
            super("account deactivated");
        }
    }

    /**
     * Checks the credentials of a login from {@code clientIp}; empty when they are wrong.
     *
     * @throws LoginThrottle.Throttled when the address tried too often or the username is locked out
     * @throws Inactive when they are right but the account is deactivated
     */
    public Optional<Issued> attempt(String username, String password, String clientIp) {
        throttle.beforeAttempt(username, clientIp);
        AppUser user = users.findByUsername(username).orElse(null);
        boolean ok = passwords.matches(password, user == null ? dummyHash : user.getPasswordHash());
        if (user == null || !ok) {
            throttle.failed(username);
            return Optional.empty();
        }
        throttle.succeeded(username);
        if (!user.isActive()) {
            throw new Inactive();
        }
        return Optional.of(issue(user));
    }

    /** A fresh token for the account as it is now, in a new session. */
    @Transactional
    public Issued issue(AppUser user) {
        return issue(user, sessions.open(user.getId(), auth.sessionLifetime()));
    }

    private Issued issue(AppUser user, LoginSessions.Session session) {
        Duration left = Duration.between(clock.instant(), session.expiresAt());
        Duration ttl = auth.tokenTtl().compareTo(left) < 0 ? auth.tokenTtl() : left;
        String token = tokens.issue(user.getId(), user.getUsername(), user.getRole(), user.getBranchId(), ttl,
                session.id().toString());
        return new Issued(token, ttl, session.expiresAt(), user.getId(), user.getUsername(), user.getRole(),
                user.getBranchId(), user.isMustChangePassword());
    }

    /**
     * A new token for the session of {@code presented}, which may have expired (a laptop that slept
     * past it), as long as its session goes on and its account still stands behind it.
     *
     * @throws ApiProblem 401 for a tampered, revoked or session-less token or an ended or expired
     *     session; 503 without the database
     */
    @Transactional
    public Issued renew(String presented) {
        ShopPrincipal principal;
        try {
            principal = tokens.verifyForRenewal(presented);
        } catch (AccessTokens.InvalidTokenException e) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "invalid-token");
        }
        if (principal.sessionId() == null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "session-ended");
        }
        LoginSessions.Session session = sessions.find(principal.sessionId())
                .filter(s -> s.userId() == principal.userId())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "session-ended"));
        if (session.endedAt() != null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "session-ended");
        }
        if (session.expired(clock.instant())) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "session-expired");
        }
        switch (accounts.of(principal)) {
            case REVOKED -> throw new ApiProblem(HttpStatus.UNAUTHORIZED, "token-revoked");
            case UNKNOWN -> throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable")
                    .header(HttpHeaders.RETRY_AFTER, "5");
            default -> { }
        }
        AppUser user = users.findById(principal.userId())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "token-revoked"));
        sessions.renewed(session.id());
        return issue(user, session);
    }

    /**
     * Ends the session of {@code presented} (if it is a genuine token of one): its tokens are refused
     * from now on, on the API and on every realtime node, and it can no longer be renewed.
     */
    @Transactional
    public void logout(String presented) {
        if (presented == null) {
            return;
        }
        try {
            ShopPrincipal principal = tokens.verifyForRenewal(presented);
            if (principal.sessionId() != null) {
                sessions.end(principal.sessionId()).ifPresent(revocations::sessionEndedAfterCommit);
            }
        } catch (AccessTokens.InvalidTokenException ignored) {
            // nothing to end; the cookie is cleared anyway
        }
    }

    /**
     * HttpOnly so scripts cannot read it; SameSite=Lax; Secure when configured (behind TLS). It lives
     * as long as the session, so a token that expired can still be renewed.
     */
    public ResponseCookie cookie(Issued issued) {
        Duration left = Duration.between(clock.instant(), issued.sessionEnd());
        return cookie(issued.token(), left.isNegative() ? Duration.ZERO : left);
    }

    public ResponseCookie clearedCookie() {
        return cookie("", Duration.ZERO);
    }

    private ResponseCookie cookie(String value, Duration maxAge) {
        return ResponseCookie.from(AccessTokens.COOKIE_NAME, value)
                .httpOnly(true)
                .secure(auth.cookieSecure())
                .sameSite("Lax")
                .path("/")
                .maxAge(maxAge)
                .build();
    }
}
