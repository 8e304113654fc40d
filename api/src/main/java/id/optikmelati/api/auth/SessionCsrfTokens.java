package id.optikmelati.api.auth;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;

/**
 * CSRF tokens a cookie cannot forge: still the {@code XSRF-TOKEN} cookie a page's script reads and
 * sends back as {@code X-XSRF-TOKEN} (or a form as {@code _csrf}), but its value is a MAC of the login
 * session ({@code sid} of the token cookie) under a key derived from the JWT secret. A plain
 * double-submit check accepts any equal cookie and header, and a cookie can be planted from a
 * sibling subdomain or an http:// page; this one accepts only the session's own value. Before login
 * (the login form) the value is a random nonce with its MAC, so a planted {@code abc} fails there too.
 * The value stays the same for the whole session: forms a page was rendered with and concurrent
 * calls never hold a stale one.
 */
final class SessionCsrfTokens implements CsrfTokenRepository {

    private static final String HEADER = "X-XSRF-TOKEN";
    private static final String PARAMETER = "_csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CookieCsrfTokenRepository cookies = CookieCsrfTokenRepository.withHttpOnlyFalse();
    private final AccessTokens tokens;
    private final SecretKeySpec key;

    SessionCsrfTokens(AccessTokens tokens, String jwtSecret, boolean secureCookie) {
        this.tokens = tokens;
        this.key = new SecretKeySpec(mac(new SecretKeySpec(jwtSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "optik-csrf-key"), "HmacSHA256");
        cookies.setCookieCustomizer(c -> c.secure(secureCookie).sameSite("Lax"));
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        String session = session(request);
        if (session != null) {
            return token("s." + sign("session:" + session));
        }
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String n = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        return token("a." + n + "." + sign("anonymous:" + n));
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        cookies.saveToken(token, request, response);
    }

    /** The cookie's token if it is the one this request's session (or, before login, its nonce) should have; else none. */
    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        CsrfToken fromCookie = cookies.loadToken(request);
        if (fromCookie == null) {
            return null;
        }
        String value = fromCookie.getToken();
        String session = session(request);
        boolean good = session != null ? equal(value, "s." + sign("session:" + session)) : anonymousAndSigned(value);
        return good ? token(value) : null;
    }

    private boolean anonymousAndSigned(String value) {
        String[] parts = value.split("\\.", -1);
        return parts.length == 3 && parts[0].equals("a") && equal(parts[2], sign("anonymous:" + parts[1]));
    }

    /**
     * The login session the request's token cookie belongs to, expired or not (a page renews an
     * expired token with this same CSRF token): its {@code sid}, or for a token outside any session
     * its user and issue time; null without a cookie a signature stands behind.
     */
    private String session(HttpServletRequest request) {
        String cookie = TokenAuthenticationFilter.cookie(request);
        if (cookie == null) {
            return null;
        }
        try {
            ShopPrincipal principal = tokens.verifyForRenewal(cookie);
            return principal.sessionId() != null ? principal.sessionId()
                    : principal.userId() + "@" + principal.issuedAt().getEpochSecond();
        } catch (AccessTokens.InvalidTokenException e) {
            return null;
        }
    }

    private static CsrfToken token(String value) {
        return new DefaultCsrfToken(HEADER, PARAMETER, value);
    }

    private String sign(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, text));
    }

    private static byte[] mac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
