package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.contract.Role;
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

    record TokenResponse(String accessToken, long expiresIn, UserView user) {}

    @PostMapping("/token")
    ResponseEntity<TokenResponse> token(@Valid @RequestBody Credentials credentials) {
        Login.Issued issued = login.attempt(credentials.username(), credentials.password())
                .orElseThrow(() -> new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-credentials"));
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, login.cookie(issued).toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(new TokenResponse(issued.token(), issued.ttl().toSeconds(),
                        new UserView(issued.userId(), issued.username(), issued.role(), issued.branchId())));
    }

    @PostMapping("/logout")
    ResponseEntity<Void> logout() {
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, login.clearedCookie().toString()).build();
    }
}
