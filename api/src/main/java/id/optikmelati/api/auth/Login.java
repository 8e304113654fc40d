package id.optikmelati.api.auth;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.Role;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.ResponseCookie;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Checks credentials and issues the access token, for the JSON endpoint and the login form alike.
 * The token also travels as an HttpOnly cookie: the browser's "session", which the realtime nodes
 * accept too (an EventSource cannot send headers).
 */
@Component
public class Login {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final AccessTokens tokens;
    private final ShopProperties.Auth auth;
    private final LoginThrottle throttle;
    /** Compared against when the user does not exist, so a wrong username costs as much as a wrong password. */
    private final String dummyHash;

    Login(UserRepository users, PasswordEncoder passwords, AccessTokens tokens, ShopProperties properties,
            LoginThrottle throttle) {
        this.throttle = throttle;
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.auth = properties.auth();
        this.dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }

    public record Issued(String token, Duration ttl, long userId, String username, Role role, Long branchId,
            boolean mustChangePassword) {}

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

    /** A fresh token for the account as it is now. */
    public Issued issue(AppUser user) {
        Duration ttl = auth.tokenTtl();
        String token = tokens.issue(user.getId(), user.getUsername(), user.getRole(), user.getBranchId(), ttl);
        return new Issued(token, ttl, user.getId(), user.getUsername(), user.getRole(), user.getBranchId(),
                user.isMustChangePassword());
    }

    /** HttpOnly so scripts cannot read it; SameSite=Lax; Secure when configured (behind TLS). */
    public ResponseCookie cookie(Issued issued) {
        return cookie(issued.token(), issued.ttl());
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
