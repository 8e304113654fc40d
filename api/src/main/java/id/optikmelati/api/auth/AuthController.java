package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.Role;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final Login login;

    AuthController(Login login) {
        this.login = login;
    }

    record Credentials(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 200) String password) {}

    record UserView(long id, String username, Role role, Long branchId) {}

    /**
     * @param expiresIn seconds the token lives
     * @param sessionExpiresIn seconds until the session ends, however often it is renewed
     */
    record TokenResponse(String accessToken, long expiresIn, long sessionExpiresIn, UserView user,
            boolean mustChangePassword) {

        static TokenResponse of(Login.Issued issued) {
            return new TokenResponse(issued.token(), issued.ttl().toSeconds(),
                    Math.max(0, java.time.Duration.between(java.time.Instant.now(), issued.sessionEnd()).toSeconds()),
                    new UserView(issued.userId(), issued.username(), issued.role(), issued.branchId()),
                    issued.mustChangePassword());
        }
    }

    @PostMapping("/token")
    ResponseEntity<TokenResponse> token(@Valid @RequestBody Credentials credentials, HttpServletRequest request) {
        Login.Issued issued;
        try {
            issued = login.attempt(credentials.username(), credentials.password(), request.getRemoteAddr())
                    .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-credentials"));
        } catch (Login.Inactive inactive) {
            throw ApiProblem.forbidden("account-inactive");
        } catch (LoginThrottle.Throttled t) {
            long seconds = Math.max(1, t.retryAfter().toSeconds());
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "login-throttled", Math.max(1, (seconds + 59) / 60))
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return issued(issued);
    }

    /**
     * A new token for the session of the one presented (bearer header or cookie), so a shift can
     * outlast a token; it may have expired, its session not.
     */
    @PostMapping("/refresh")
    ResponseEntity<TokenResponse> refresh(HttpServletRequest request) {
        String presented = TokenAuthenticationFilter.presentedToken(request);
        if (presented == null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "unauthenticated");
        }
        return issued(login.renew(presented));
    }

    private ResponseEntity<TokenResponse> issued(Login.Issued issued) {
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, login.cookie(issued).toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(TokenResponse.of(issued));
    }

    /** Ends the session of the token presented, everywhere, and clears the cookie. */
    @PostMapping("/logout")
    ResponseEntity<Void> logout(HttpServletRequest request) {
        login.logout(TokenAuthenticationFilter.presentedToken(request));
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, login.clearedCookie().toString()).build();
    }
}
