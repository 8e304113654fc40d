package id.optikmelati.contract;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Issues and verifies the access token (a JWT signed with HS256). The API issues it at login; a
 * realtime node verifies it locally with the same secret, so no node calls the API per connection.
 * Only HS256 is accepted: {@code alg: none} and every other algorithm are refused.
 */
public final class AccessTokens {

    public static final String ISSUER = "optik-melati";
    /** The HttpOnly cookie that carries the token for browsers (EventSource cannot send headers). */
    public static final String COOKIE_NAME = "optik_token";
    private static final int MIN_SECRET_BYTES = 32;

    private final byte[] secret;
    private final Clock clock;

    public AccessTokens(String secret, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** A token outside any login session (tools, tests): it cannot be renewed. */
    public String issue(long userId, String username, Role role, Long branchId, Duration ttl) {
        return issue(userId, username, role, branchId, ttl, null);
    }

    /** @param sessionId the login session it belongs to, or null */
    public String issue(long userId, String username, Role role, Long branchId, Duration ttl, String sessionId) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(Long.toString(userId))
                .claim("usr", username)
                .claim("role", role.name())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (branchId != null) {
            claims.claim("branch", branchId);
        }
        if (sessionId != null) {
            claims.claim("sid", sessionId);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return jwt.serialize();
    }

    /** Verifies signature, algorithm, issuer and expiry; throws {@link InvalidTokenException} otherwise. */
    public ShopPrincipal verify(String token) {
        return verify(token, false);
    }

    /**
     * Verifies all but the expiry: for a renewal, where the session (not the token) decides how long
     * one may go on; the caller checks it.
     */
    public ShopPrincipal verifyForRenewal(String token) {
        return verify(token, true);
    }

    private ShopPrincipal verify(String token, boolean expiredAllowed) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            throw new InvalidTokenException("missing or oversized token");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("unsupported algorithm " + jwt.getHeader().getAlgorithm());
        }
        try {
            if (jwt.getState() != JWSObject.State.SIGNED || !jwt.verify(new MACVerifier(secret))) {
                throw new InvalidTokenException("bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer())) {
                throw new InvalidTokenException("wrong issuer");
            }
            Date exp = claims.getExpirationTime();
            if (exp == null || (!expiredAllowed && !exp.toInstant().isAfter(clock.instant()))) {
                throw new InvalidTokenException("token expired");
            }
            Role role = Role.valueOf(claims.getStringClaim("role"));
            Long branch = claims.getLongClaim("branch");
            Date iat = claims.getIssueTime();
            if (iat == null) {
                throw new InvalidTokenException("no issue time");
            }
            return new ShopPrincipal(Long.parseLong(claims.getSubject()), claims.getStringClaim("usr"), role,
                    branch, exp.toInstant(), iat.toInstant(), claims.getStringClaim("sid"));
        } catch (JOSEException | ParseException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidTokenException("malformed claims");
        }
    }

    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
