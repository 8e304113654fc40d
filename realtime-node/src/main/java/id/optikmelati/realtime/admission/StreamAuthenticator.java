package id.optikmelati.realtime.admission;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.ShopPrincipal;
import java.util.Optional;

/** Reads the API's access token from {@code Authorization: Bearer} or the HttpOnly cookie (never the URL). */
public final class StreamAuthenticator {

    private final AccessTokens tokens;

    public StreamAuthenticator(AccessTokens tokens) {
        this.tokens = tokens;
    }

    /** The viewer of a request with this Authorization header (a bearer token) or, without one, this token cookie. */
    public Optional<ShopPrincipal> authenticate(String authorization, String tokenCookie) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        } else if (authorization == null) {
            token = tokenCookie;
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
