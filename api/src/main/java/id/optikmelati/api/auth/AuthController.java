package id.optikmelati.api.auth;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/auth")
class AuthController {

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final AccessTokens tokens;
    private final ShopProperties.Auth auth;
    /** Compared against when the user does not exist, so a wrong username costs as much as a wrong password. */
    private final String dummyHash;

    AuthController(UserRepository users, PasswordEncoder passwords, AccessTokens tokens, ShopProperties properties) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.auth = properties.auth();
        this.dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
    }

    record Credentials(@NotBlank @Size(max = 100) String username, @NotBlank @Size(max = 200) String password) {}

    record UserView(long id, String username, Role role, Long branchId) {}

    record TokenResponse(String accessToken, long expiresIn, UserView user) {}

    @PostMapping("/token")
    ResponseEntity<TokenResponse> token(@Valid @RequestBody Credentials credentials) {
        AppUser user = users.findByUsername(credentials.username()).orElse(null);
        boolean ok = passwords.matches(credentials.password(), user == null ? dummyHash : user.getPasswordHash());
        if (user == null || !ok) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-credentials");
        }
        Duration ttl = auth.tokenTtl();
        String token = tokens.issue(user.getId(), user.getUsername(), user.getRole(), user.getBranchId(), ttl);
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookie(token, ttl).toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new TokenResponse(token, ttl.toSeconds(),
                        new UserView(user.getId(), user.getUsername(), user.getRole(), user.getBranchId())));
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout() {
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie("", Duration.ZERO).toString()).build();
    }

    /** HttpOnly so scripts cannot read it; the realtime nodes accept it, since EventSource sends no headers. */
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
