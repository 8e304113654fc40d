package id.optikmelati.api.auth;

import id.optikmelati.api.web.ShopPage;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The login form. A successful login sets the token cookie, which is the browser's session. */
@Controller
@ShopPage
class LoginPage {

    private final Login login;

    LoginPage(Login login) {
        this.login = login;
    }

    @GetMapping("/login")
    String form() {
        return "login";
    }

    @PostMapping("/login")
    String submit(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
            Model model, HttpServletRequest request, HttpServletResponse response) {
        if (username.isBlank() || password.isEmpty() || username.length() > 100 || password.length() > 200) {
            model.addAttribute("error", "login.error.missing");
            model.addAttribute("username", username.length() > 100 ? "" : username);
            response.setStatus(400);
            return "login";
        }
        model.addAttribute("username", username);
        try {
            return login.attempt(username.trim(), password, request.getRemoteAddr()).map(issued -> {
                response.addHeader(HttpHeaders.SET_COOKIE, login.cookie(issued).toString());
                return issued.mustChangePassword() ? "redirect:/ganti-sandi" : "redirect:/";
            }).orElseGet(() -> {
                model.addAttribute("error", "login.error.bad-credentials");
                response.setStatus(401);
                return "login";
            });
        } catch (Login.Inactive inactive) {
            model.addAttribute("error", "login.error.inactive");
            response.setStatus(403);
            return "login";
        } catch (LoginThrottle.Throttled t) {
            model.addAttribute("error", "login.error.throttled");
            model.addAttribute("minutes", Math.max(1, (t.retryAfter().toSeconds() + 59) / 60));
            response.setStatus(429);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, t.retryAfter().toSeconds())));
            return "login";
        }
    }

    @PostMapping("/logout")
    String logout(HttpServletRequest request, HttpServletResponse response) {
        login.logout(TokenAuthenticationFilter.presentedToken(request));
        response.addHeader(HttpHeaders.SET_COOKIE, login.clearedCookie().toString());
        return "redirect:/login?keluar";
    }
}
