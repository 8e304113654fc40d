package id.optikmelati.realtime.admission;

import org.springframework.http.HttpStatus;

/**
 * Every reason a node refuses to start a stream, answered before the stream starts as
 * problem+json ({@code https://optikmelati.id/problems/<code>}) with a title and detail in the
 * request's language ({@code realtime-messages*.properties}); after that a screen only ever gets SSE.
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
    UNKNOWN_BRANCH("unknown-branch", HttpStatus.NOT_FOUND, null),
    STREAM_LIMIT("stream-limit", HttpStatus.TOO_MANY_REQUESTS, "over-limit"),
    /** Redis is unreachable and the node has not learned the branches yet. */
    UNAVAILABLE("realtime-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "unavailable");

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
        return status == HttpStatus.SERVICE_UNAVAILABLE ? 2L : null;
    }
}
