package id.optikmelati.realtime.admission;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.ShopPrincipal;
import java.util.Optional;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Reads the API's access token from {@code Authorization: Bearer} or the HttpOnly cookie (never the URL). */
public final class StreamAuthenticator {

    private final AccessTokens tokens;

    public StreamAuthenticator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    public Optional<ShopPrincipal> authenticate(ServerHttpRequest request) {
        String header = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String token = null;
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        } else if (header == null) {
            HttpCookie cookie = request.getCookies().getFirst(AccessTokens.COOKIE_NAME);
            token = cookie == null ? null : cookie.getValue();
        }
        if (token == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(tokens.verify(token));
        } catch (AccessTokens.InvalidTokenException e) {
            return Optional.empty();
        }
    }
}
