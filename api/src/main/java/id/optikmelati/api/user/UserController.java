package id.optikmelati.api.user;

import id.optikmelati.api.auth.AppUser;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.contract.Role;
import id.optikmelati.contract.ShopPrincipal;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Staff accounts: a super admin's, or a branch admin's for their kasir accounts. */
@RestController
@RequestMapping("/api/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    /** A new account; its user must choose a new password at the first login. Never echoed, never logged. */
    record CreateUser(@NotBlank @Size(max = 50) String username, @NotNull Role role, Long branchId,
            @NotBlank @Size(max = 200) String password) {
        @Override
        public String toString() {
            return "CreateUser[username=" + username + ", role=" + role + ", branchId=" + branchId + "]";
        }
    }

    record AssignUser(@NotNull Role role, Long branchId) {}

    record UserView(long id, String username, Role role, Long branchId, boolean active, boolean mustChangePassword,
            Instant createdAt, long version) {
        static UserView of(AppUser u) {
            return new UserView(u.getId(), u.getUsername(), u.getRole(), u.getBranchId(), u.isActive(),
                    u.isMustChangePassword(), u.getCreatedAt(), u.getVersion());
        }
    }

    /** The account and the temporary password it now has: shown once, to give to its user. */
    record ResetView(UserView user, String temporaryPassword) {}

    @GetMapping
    List<UserView> list(@CurrentUser ShopPrincipal user) {
        return users.list(user).stream().map(UserView::of).toList();
    }

    @PostMapping
    @ApiResponse(responseCode = "201", description = "The new account")
    ResponseEntity<UserView> create(@CurrentUser ShopPrincipal user, @Valid @RequestBody CreateUser request) {
        AppUser created = users.create(user, request.username(), request.role(), request.branchId(), request.password());
        return ResponseEntity.created(URI.create("/api/users/" + created.getId())).body(UserView.of(created));
    }

    /** A new role or branch (super admin only). */
    @PutMapping("/{id}")
    UserView assign(@CurrentUser ShopPrincipal user, @PathVariable long id, @Valid @RequestBody AssignUser request) {
        return UserView.of(users.assign(user, id, request.role(), request.branchId()));
    }

    @PostMapping("/{id}/deactivate")
    UserView deactivate(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return UserView.of(users.deactivate(user, id));
    }

    @PostMapping("/{id}/reactivate")
    UserView reactivate(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        return UserView.of(users.reactivate(user, id));
    }

    @PostMapping("/{id}/reset-password")
    ResponseEntity<ResetView> resetPassword(@CurrentUser ShopPrincipal user, @PathVariable long id) {
        UserService.Reset reset = users.resetPassword(user, id);
        return ResponseEntity.ok().header("Cache-Control", "no-store")
                .body(new ResetView(UserView.of(reset.user()), reset.temporaryPassword()));
    }
}
