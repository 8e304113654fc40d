package id.optikmelati.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.security.web.header.HeaderWriter;

/**
 * The pages' Content-Security-Policy: scripts and styles only from this origin (no inline script or
 * style in the shop's pages; the libraries style elements through the CSSOM, which the policy does not
 * govern; only the admins' Swagger UI may use inline styles),
 * no framing, and streams only to this origin and the configured realtime nodes. The realtime URLs
 * may name the page's own host ({@code //{host}:8081}), so the policy is built per request.
 */
final class ContentSecurityPolicy implements HeaderWriter {

    private final List<String> realtimeUrls;

    ContentSecurityPolicy(List<String> realtimeUrls) {
        this.realtimeUrls = realtimeUrls;
    }

    @Override
    public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
        StringBuilder connect = new StringBuilder("'self'");
        for (String url : realtimeUrls) {
            if (url.isBlank()) {
                continue;
            }
            String resolved = url.replace("{host}", request.getServerName());
            if (resolved.startsWith("//")) {
                resolved = request.getScheme() + ":" + resolved;
            }
            if (resolved.chars().allMatch(c -> c > 32 && c != ';' && c != ',' && c != '\'')) {
                connect.append(' ').append(resolved);
            }
        }
        // Swagger UI (admins' API docs) writes style attributes into its markup; its scripts stay 'self'
        String style = request.getRequestURI().startsWith("/swagger-ui/") ? "'self' 'unsafe-inline'" : "'self'";
        response.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                + "style-src " + style + "; img-src 'self' data:; font-src 'self'; "
                + "connect-src " + connect + "; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
                + "object-src 'none'");
    }
}
