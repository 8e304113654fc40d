package id.optikmelati.api.auth;

import id.optikmelati.api.problem.ProblemHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes problem+json from filters, where the MVC exception handlers cannot reach. */
@Component
public class ProblemWriter {

    private final ProblemHandler handler;
    private final JsonMapper json;

    ProblemWriter(ProblemHandler handler, JsonMapper json) {
        this.handler = handler;
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String code)
            throws IOException {
        ProblemDetail body = handler.problem(HttpStatus.valueOf(status), code, new Object[0], request);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        var map = new java.util.LinkedHashMap<String, Object>();
        map.put("type", body.getType().toString());
        map.put("title", body.getTitle());
        map.put("status", body.getStatus());
        map.put("detail", body.getDetail());
        map.put("instance", body.getInstance() == null ? null : body.getInstance().toString());
        json.writeValue(response.getOutputStream(), map);
    }
}
