package id.optikmelati.realtime.wire;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stream's HTTP response: its headers and first frame go out through WebFlux, and from then on
 * the stream's {@link SocketWriter} writes chunks to the socket itself; the response ends when the
 * stream does. A refusal is a plain problem+json answer.
 */
public final class StreamResponse {

    /** Wraps bytes without copying. */
    private static final DefaultDataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

    private StreamResponse() {}

    /** The writer for the socket of this request (the Reactor Netty server's). */
    public static SocketWriter writerFor(ServerHttpRequest request, int behindAfter) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (nativeRequest instanceof reactor.netty.Connection c) {
            return new SocketWriter(c.channel(), behindAfter);
        }
        throw new IllegalStateException("streams need the Reactor Netty server, not " + nativeRequest.getClass());
    }

    /**
     * Starts the stream: headers and {@code hello}, then {@code rest} (which opens the stream and
     * completes when it ends; it fails if the headers did not announce chunked transfer), then
     * {@code ended}, however it ended, even before the first frame was out.
     */
    public static Mono<Void> stream(ServerHttpRequest request, ServerHttpResponse response, SseMessage hello,
            Mono<Void> rest, Runnable ended) {
        response.setStatusCode(HttpStatus.OK);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.set(HttpHeaders.CACHE_CONTROL, "no-cache, no-transform");
        headers.set("X-Accel-Buffering", "no");
        Mono<Void> checked = Mono.defer(() -> sentChunked(request) ? rest
                // Chunks are written pre-framed for HTTP/1.1; never put them on another framing.
                : Mono.error(new IllegalStateException("a stream's response went out without chunked transfer")));
        // A Flux, not a Mono: a single-buffer Mono would be sent with a Content-Length and end there.
        return response.writeWith(Flux.just(BUFFERS.wrap(hello.bytes()))).then(checked).doFinally(signal -> ended.run());
    }

    /** A refusal before any stream starts. */
    public static Mono<Void> problem(ServerHttpResponse response, int status, Long retryAfterSeconds, byte[] json) {
        response.setRawStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfterSeconds != null) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return response.writeWith(Mono.just(BUFFERS.wrap(json)));
    }

    /** Whether the response's headers went out announcing chunked transfer (HTTP/1.1). */
    private static boolean sentChunked(ServerHttpRequest request) {
        return ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerResponse r
                && r.responseHeaders().containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
    }
}
