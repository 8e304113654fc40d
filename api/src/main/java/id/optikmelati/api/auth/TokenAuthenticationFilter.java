package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ProblemWriter;
import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its access token: the {@code Authorization: Bearer} header, or else
 * the HttpOnly cookie a browser got at login, and only while its account stands behind it (not
 * deactivated, not revoked). A bad bearer token is a 401 at once; a bad cookie is ignored (the
 * request is then anonymous, e.g. a stale cookie on the way to the login page). A user whose
 * password an admin reset may only choose a new one until they have.
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

    /** What a user who must change their password may still reach. */
    private static final List<String> PASSWORD_CHANGE_PATHS = List.of("/ganti-sandi", "/api/auth/password",
            "/api/auth/logout", "/logout");

    private final AccessTokens tokens;
    private final ProblemWriter problems;
    private final AccountStatus accounts;

    TokenAuthenticationFilter(AccessTokens tokens, ProblemWriter problems, AccountStatus accounts) {
        this.tokens = tokens;
        this.problems = problems;
        this.accounts = accounts;
    }

    /** Where a token is taken as it is, expired or not: renewal and logout read it themselves. */
    static final List<String> SESSION_PATHS = List.of("/api/auth/refresh", "/api/auth/logout");

    /** Static files need no user, and no look at the account; renewal and logout judge the token themselves. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return uri.startsWith("/css/") || uri.startsWith("/js/") || uri.startsWith("/webjars/")
                || SESSION_PATHS.contains(uri);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                problems.write(request, response, 401, "invalid-token");
                return;
            }
            ShopPrincipal principal;
            try {
                principal = tokens.verify(header.substring(7).trim());
            } catch (AccessTokens.InvalidTokenException e) {
                problems.write(request, response, 401, "invalid-token");
                return;
            }
            AccountStatus.Standing standing = accounts.of(principal);
            if (standing == AccountStatus.Standing.REVOKED) {
                problems.write(request, response, 401, "token-revoked");
                return;
            }
            if (!allowed(request, standing, response)) {
                return;
            }
            authenticate(principal);
        } else {
            String cookie = cookie(request);
            if (cookie != null) {
                try {
                    ShopPrincipal principal = tokens.verify(cookie);
                    AccountStatus.Standing standing = accounts.of(principal);
                    if (standing != AccountStatus.Standing.REVOKED) { // revoked: anonymous, as a bad cookie
                        if (!allowed(request, standing, response)) {
                            return;
                        }
                        authenticate(principal);
                    }
                } catch (AccessTokens.InvalidTokenException ignored) {
                    // anonymous; protected endpoints answer 401 through the entry point
                }
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * Whether the request may go on; a page is sent to choose a new password, an API call gets 403.
     * Without PostgreSQL an API call gets the 503 it would get anyway, while a page still opens on
     * its token alone: its data waits for the database, but its live streams come from Redis.
     */
    private boolean allowed(HttpServletRequest request, AccountStatus.Standing standing, HttpServletResponse response)
            throws IOException {
        if (standing == AccountStatus.Standing.UNKNOWN) {
            if (!request.getRequestURI().startsWith("/api/")) {
                return true;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            problems.write(request, response, 503, "database-unavailable");
            return false;
        }
        if (standing != AccountStatus.Standing.MUST_CHANGE_PASSWORD
                || PASSWORD_CHANGE_PATHS.contains(request.getRequestURI())) {
            return true;
        }
        if (request.getRequestURI().startsWith("/api/")) {
            problems.write(request, response, 403, "password-change-required");
        } else {
            response.sendRedirect("/ganti-sandi");
        }
        return false;
    }

    /** The token a request presents: its bearer header, or else its cookie; null for none. */
    static String presentedToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        }
        return cookie(request);
    }

    static boolean hasBearer(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null;
    }

    static boolean hasTokenCookie(HttpServletRequest request) {
        return cookie(request) != null;
    }

    private static void authenticate(ShopPrincipal principal) {
        var auth = new UsernamePasswordAuthenticationToken(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + principal.role().name())));
        SecurityContextHolder.getContext().setAuthentication(auth);
    }

    static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (AccessTokens.COOKIE_NAME.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }
}
