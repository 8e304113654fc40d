package id.optikmelati.api.problem;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the caller can act on. Rendered as RFC 9457 problem+json; the title and detail come
 * from the message bundle ({@code problem.<code>.title}, {@code problem.<code>.detail}) in the
 * caller's language, and {@link #properties()} become extension members (e.g. which products ran out).
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final transient Object[] args;
    private final transient Map<String, Object> properties = new LinkedHashMap<>();
    private final transient Map<String, String> headers = new LinkedHashMap<>();

    public ApiProblem(HttpStatus status, String code, Object... args) {
        super(code);
        this.status = status;
        this.code = code;
        this.args = args;
    }

    public ApiProblem with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** A response header to send with the problem (e.g. Retry-After). */
    public ApiProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Object[] args() {
        return args;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public static ApiProblem badRequest(String code, Object... args) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, code, args);
    }

    public static ApiProblem forbidden(String code, Object... args) {
        return new ApiProblem(HttpStatus.FORBIDDEN, code, args);
    }

    public static ApiProblem notFound(String code, Object... args) {
        return new ApiProblem(HttpStatus.NOT_FOUND, code, args);
    }

    public static ApiProblem conflict(String code, Object... args) {
        return new ApiProblem(HttpStatus.CONFLICT, code, args);
    }

    public static ApiProblem unprocessable(String code, Object... args) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, code, args);
    }
}
