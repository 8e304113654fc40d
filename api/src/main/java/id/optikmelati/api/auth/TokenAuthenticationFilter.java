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
 * the HttpOnly cookie a browser got at login. A bad bearer token is a 401 at once; a bad cookie is
 * ignored (the request is then anonymous, e.g. a stale cookie on the way to the login page).
 */
class TokenAuthenticationFilter extends OncePerRequestFilter {

    private final AccessTokens tokens;
    private final ProblemWriter problems;

    TokenAuthenticationFilter(AccessTokens tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
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
            try {
                authenticate(tokens.verify(header.substring(7).trim()));
            } catch (AccessTokens.InvalidTokenException e) {
                problems.write(request, response, 401, "invalid-token");
                return;
            }
        } else {
            String cookie = cookie(request);
            if (cookie != null) {
                try {
                    authenticate(tokens.verify(cookie));
                } catch (AccessTokens.InvalidTokenException ignored) {
                    // anonymous; protected endpoints answer 401 through the entry point
                }
            }
        }
        chain.doFilter(request, response);
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

    private static String cookie(HttpServletRequest request) {
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
