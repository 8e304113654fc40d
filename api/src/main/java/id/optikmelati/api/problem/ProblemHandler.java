package id.optikmelati.api.problem;

import id.optikmelati.api.web.ShopDates;
import id.optikmelati.contract.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;

/** Turns every failure of the REST API into problem+json with a message in the caller's language. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final MessageSource messages;

    public ProblemHandler(MessageSource messages) {
        this.messages = messages;
        setMessageSource(messages);
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> handle(ApiProblem problem, HttpServletRequest request) {
        ProblemDetail body = problem(problem.status(), problem.code(), problem.args(), request);
        problem.properties().forEach(body::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(body.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.headers().forEach(response::header);
        return response.body(body);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handle(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.BAD_REQUEST, "bad-parameter", new Object[] {e.getName()}, request));
    }

    /** A query string whose percent-encoding does not decode (%ZZ, a cut UTF-8 sequence): the caller's mistake. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ResponseEntity<ProblemDetail> handle(org.apache.tomcat.util.http.InvalidParameterException e,
            HttpServletRequest request) {
        return respond(problem(HttpStatus.BAD_REQUEST, "bad-encoding", new Object[0], request));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> handle(AccessDeniedException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.FORBIDDEN, "forbidden", new Object[0], request));
    }

    /** The database is unreachable or too slow: fail fast and say so, never hang the caller. */
    @ExceptionHandler({CannotGetJdbcConnectionException.class, CannotCreateTransactionException.class,
            QueryTimeoutException.class, TransientDataAccessResourceException.class})
    ResponseEntity<ProblemDetail> databaseDown(Exception e, HttpServletRequest request) {
        log.warn("database unavailable: {}", e.getMessage());
        ProblemDetail body = problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", new Object[0], request);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Locale locale = LocaleContextHolder.getLocale();
        // A value that does not convert (a date that is no date) would be described by the framework
        // with its Java types and the whole input: say which field, in the shop's words, instead.
        List<String> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(f -> f.getField() + ": " + (f.isBindingFailure()
                        ? text("problem.validation.unreadable", new Object[0], locale)
                        : messages.getMessage(f, locale)))
                .toList();
        ProblemDetail body = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        body.setType(type("validation"));
        body.setTitle(text("problem.validation.title", new Object[0], locale));
        body.setDetail(text("problem.validation.detail", new Object[] {String.join("; ", errors)}, locale));
        body.setProperty("errors", errors);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /**
     * A request body that is not the JSON asked for: which field, and for a field with fixed values
     * (a product type, a role), which values there are; never a Java type's name.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Locale locale = LocaleContextHolder.getLocale();
        String field = null;
        String allowed = null;
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JacksonException je && !je.getPath().isEmpty()) {
                field = je.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName()
                        : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
                if (je instanceof InvalidFormatException ife && ife.getTargetType() != null
                        && ife.getTargetType().isEnum()) {
                    allowed = Arrays.stream(ife.getTargetType().getEnumConstants()).map(Object::toString)
                            .collect(Collectors.joining(", "));
                }
                break;
            }
        }
        ProblemDetail body = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        String code = allowed != null ? "bad-choice" : field != null ? "bad-field" : "bad-body";
        body.setType(type(code));
        body.setTitle(text("problem." + code + ".title", new Object[0], locale));
        body.setDetail(text("problem." + code + ".detail", new Object[] {field, allowed}, locale));
        if (field != null) {
            body.setProperty("field", field);
        }
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** A unique key another write took first (a product code, a barcode, a user name, at the same moment). */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> conflict(DataIntegrityViolationException e, HttpServletRequest request) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage());
        String code = message.contains("product_kode_key") ? "duplicate-kode"
                : message.contains("product_barcode_key") ? "duplicate-barcode"
                : message.contains("app_user_username_key") ? "duplicate-username" : "write-conflict";
        log.info("refused a conflicting write on {}: {}", request.getRequestURI(), code);
        return respond(problem(HttpStatus.CONFLICT, code, new Object[] {"", ""}, request));
    }

    /** Another edit of the same row committed first. */
    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> stale(OptimisticLockingFailureException e, HttpServletRequest request) {
        return respond(problem(HttpStatus.CONFLICT, "stale-write", new Object[0], request));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof org.springframework.web.ErrorResponse) {
            throw e; // framework errors (405, 415, ...) keep their own status and problem body
        }
        if (lostTheDatabase(e)) {
            // e.g. a pooled connection died with the server, and even the rollback failed
            return databaseDown(e, request);
        }
        log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", new Object[0], request));
    }

    /**
     * Whether anything in the cause chain says the connection to PostgreSQL is gone: SQLState class
     * 08, 57P (the server shutting down or not yet accepting connections), or a pooled connection
     * found closed (the pool says so without a state).
     */
    public static boolean lostTheDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException
                    || t instanceof org.hibernate.exception.JDBCConnectionException
                    || (t instanceof java.sql.SQLException sql && (connectionState(sql.getSQLState())
                            || "Connection is closed".equals(sql.getMessage())))) {
                return true;
            }
        }
        return false;
    }

    private static boolean connectionState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P"));
    }

    public ProblemDetail problem(HttpStatus status, String code, Object[] args, HttpServletRequest request) {
        return problem(status, code, args, request, LocaleContextHolder.getLocale());
    }

    /** The one problem body: its type from the code, its title and detail from the bundle in {@code locale}. */
    public ProblemDetail problem(HttpStatus status, String code, Object[] args, HttpServletRequest request,
            Locale locale) {
        ProblemDetail body = ProblemDetail.forStatus(status);
        body.setType(type(code));
        body.setTitle(text("problem." + code + ".title", new Object[0], locale));
        body.setDetail(text("problem." + code + ".detail", args, locale));
        body.setInstance(request == null ? null : instance(request.getRequestURI()));
        return body;
    }

    /** The path a problem is about, as a short excerpt (the client's own input is never echoed whole), or null. */
    static URI instance(String path) {
        if (path == null) {
            return null;
        }
        String excerpt = path.length() <= EXCERPT ? path : path.substring(0, EXCERPT) + "…";
        try {
            return URI.create(excerpt); // as the client sent it, percent-encoded
        } catch (IllegalArgumentException notAUri) {
            try {
                return new URI(null, null, excerpt, null); // quotes what a URI may not hold (a NUL, a space)
            } catch (java.net.URISyntaxException e) {
                return null;
            }
        }
    }

    private static final int EXCERPT = 120;

    /**
     * The problem code for a status the framework or the server chose (no such path, a method or a
     * media type not taken), so those answers have the shop's words and a type of their own too.
     */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 431 -> "headers-too-large";
            default -> status >= 500 ? "internal" : "bad-request";
        };
    }

    /** Every framework refusal (405, 415, a missing parameter, ...) gets the shop's problem for its status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (body instanceof ProblemDetail given && given.getType() != null
                && !"about:blank".equals(given.getType().toString())) {
            return super.handleExceptionInternal(ex, body, headers, statusCode, request);
        }
        HttpServletRequest servlet = ((org.springframework.web.context.request.ServletWebRequest) request).getRequest();
        HttpStatus status = HttpStatus.resolve(statusCode.value());
        ProblemDetail problem = problem(status == null ? HttpStatus.BAD_REQUEST : status, codeFor(statusCode.value()),
                new Object[] {""}, servlet);
        return ResponseEntity.status(statusCode).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** The bundle's text; a date among the arguments is written as the caller's language writes it. */
    private String text(String key, Object[] args, Locale locale) {
        Object[] shown = args == null ? null : args.clone();
        for (int i = 0; shown != null && i < shown.length; i++) {
            if (shown[i] instanceof LocalDate date) {
                shown[i] = ShopDates.date(date, locale);
            }
        }
        return messages.getMessage(key, shown, key, locale);
    }

    private static URI type(String code) {
        return ProblemTypes.of(code);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail body) {
        return ResponseEntity.status(body.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
