package id.optikmelati.api.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problem+json from filters, where the MVC exception handlers cannot reach: the same body
 * {@link ProblemHandler} builds, in the request's language (its locale is resolved here, since a
 * filter runs before the dispatcher sets it).
 */
@Component
public class ProblemWriter {

    private final ProblemHandler handler;
    private final LocaleResolver locales;
    private final JsonMapper json;

    ProblemWriter(ProblemHandler handler, LocaleResolver locales, JsonMapper json) {
        this.handler = handler;
        this.locales = locales;
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String code,
            Object... args) throws IOException {
        Map<String, Object> map = body(request, status, code, args);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), map);
    }

    /** The problem body itself, for a writer of its own (Tomcat's error report, the error page's controller). */
    public Map<String, Object> body(HttpServletRequest request, int status, String code, Object... args) {
        // no request yet (a connection refused before it sent one): the shop's default language
        ProblemDetail body = handler.problem(HttpStatus.valueOf(status), code, args, request,
                request == null ? id.optikmelati.api.web.ShopLocale.INDONESIAN : locales.resolveLocale(request));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", body.getType().toString());
        map.put("title", body.getTitle());
        map.put("status", body.getStatus());
        map.put("detail", body.getDetail());
        map.put("instance", body.getInstance() == null ? null : body.getInstance().toString());
        return map;
    }

    /** The same body as JSON bytes. */
    public byte[] bytes(HttpServletRequest request, int status, String code, Object... args) {
        return json.writeValueAsBytes(body(request, status, code, args));
    }
}
