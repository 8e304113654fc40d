package id.optikmelati.api.user;

import id.optikmelati.api.auth.AppUser;
import id.optikmelati.api.auth.CurrentUser;
import id.optikmelati.api.auth.Login;
import id.optikmelati.api.problem.ApiProblem;
import id.optikmelati.api.web.ShopPage;
import id.optikmelati.contract.ShopPrincipal;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * A user's own password: the JSON endpoint and the page a user is sent to after an admin reset it.
 * The new password gets a fresh token (the cookie), and every other session of the user ends.
 */
@Controller
@ShopPage
class PasswordController {

    private final UserService users;
    private final Login login;

    PasswordController(UserService users, Login login) {
        this.users = users;
        this.login = login;
    }

    record PasswordChange(@NotBlank @Size(max = 200) String currentPassword,
            @NotBlank @Size(max = 200) String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[...]";
        }
    }

    @PostMapping("/api/auth/password")
    @ResponseBody
    ResponseEntity<Void> change(@CurrentUser ShopPrincipal user, @Valid @RequestBody PasswordChange request) {
        Login.Issued issued = login.issue(users.changeOwnPassword(user, request.currentPassword(),
                request.newPassword()));
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, login.cookie(issued).toString()).build();
    }

    @GetMapping("/ganti-sandi")
    String form() {
        return "password";
    }

    @PostMapping("/ganti-sandi")
    String submit(@CurrentUser ShopPrincipal user, @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newPassword, @RequestParam(defaultValue = "") String repeatPassword,
            Model model, HttpServletResponse response) {
        if (!newPassword.equals(repeatPassword)) {
            model.addAttribute("error", "problem.password-mismatch.detail");
            model.addAttribute("errorArgs", new Object[0]);
            response.setStatus(400);
            return "password";
        }
        try {
            AppUser changed = users.changeOwnPassword(user, currentPassword, newPassword);
            response.addHeader(HttpHeaders.SET_COOKIE, login.cookie(login.issue(changed)).toString());
            return "redirect:/";
        } catch (ApiProblem problem) {
            model.addAttribute("error", "problem." + problem.code() + ".detail");
            model.addAttribute("errorArgs", problem.args());
            response.setStatus(problem.status().value());
            return "password";
        }
    }
}
