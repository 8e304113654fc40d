package id.optikmelati.realtime.admission;

import org.springframework.http.HttpStatus;

/**
 * Every reason a node refuses a request, answered before any stream starts as problem+json
 * ({@code https://optikmelati.id/problems/<code>}) with a title and detail in the request's language
 * ({@code realtime-messages*.properties}); after that a screen only ever gets SSE. The last few are
 * requests that never reach a stream: the HTTP itself is bad, or the path is not a stream's.
 */
public enum Refusal {
    UNKNOWN_STREAM("unknown-stream", HttpStatus.NOT_FOUND, null),
    CONNECT_RATE("connect-rate", HttpStatus.TOO_MANY_REQUESTS, "rate-limited"),
    NODE_FULL("node-full", HttpStatus.SERVICE_UNAVAILABLE, "node-full"),
    UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "unauthenticated"),
    /** The token is good, but its user was deactivated or their tokens revoked since. */
    TOKEN_REVOKED("token-revoked", HttpStatus.UNAUTHORIZED, "revoked"),
    BAD_BRANCH("bad-branch", HttpStatus.BAD_REQUEST, null),
    OTHER_BRANCH("other-branch", HttpStatus.FORBIDDEN, "forbidden"),
    /** A page of an origin the node does not allow (CORS) asked for a stream. */
    FOREIGN_ORIGIN("foreign-origin", HttpStatus.FORBIDDEN, "forbidden"),
    UNKNOWN_BRANCH("unknown-branch", HttpStatus.NOT_FOUND, null),
    STREAM_LIMIT("stream-limit", HttpStatus.TOO_MANY_REQUESTS, "over-limit"),
    /** Redis is unreachable and the node has not learned the branches yet. */
    UNAVAILABLE("realtime-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "unavailable"),
    /** The client's address already holds as many open connections as it may. */
    ADDRESS_LIMIT("address-limit", HttpStatus.TOO_MANY_REQUESTS, null),
    BAD_REQUEST("bad-request", HttpStatus.BAD_REQUEST, null),
    BAD_ENCODING("bad-encoding", HttpStatus.BAD_REQUEST, null),
    HEADERS_TOO_LARGE("headers-too-large", HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, null),
    URI_TOO_LONG("uri-too-long", HttpStatus.URI_TOO_LONG, null),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, null),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, null);

    private final String code;
    private final HttpStatus status;
    private final String outcome;

    Refusal(String code, HttpStatus status, String outcome) {
        this.code = code;
        this.status = status;
        this.outcome = outcome;
    }

    /** The problem type's last segment and the message keys' middle part. */
    public String code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    /** The {@code outcome} label of {@code optik_realtime_connects_total}, or null if it is not counted there. */
    public String outcome() {
        return outcome;
    }

    /** Seconds a client should wait before it tries again (this node or another), or null. */
    public Long retryAfterSeconds() {
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            return 2L;
        }
        return this == ADDRESS_LIMIT ? Long.valueOf(5) : null;
    }
}
