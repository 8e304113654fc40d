package id.optikmelati.realtime.wire;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stream's HTTP response, on Reactor Netty's own request and response: its headers and first
 * frame go out through Reactor Netty, and from then on the stream's {@link SocketWriter} writes
 * chunks to the socket itself; the response ends when the stream does. A refusal is a plain
 * problem+json answer. Nothing of WebFlux stays behind a stream for its life.
 */
public final class StreamResponse {

    private StreamResponse() {}

    /** The writer for the socket of this request. */
    public static SocketWriter writerFor(HttpServerRequest request, int behindAfter) {
        SocketWriter[] writer = new SocketWriter[1];
        request.withConnection(c -> writer[0] = new SocketWriter(c.channel(), behindAfter));
        return writer[0];
    }

    /**
     * Starts the stream: headers and {@code hello}, then {@code rest} (which opens the stream and
     * completes when it ends; it fails if the headers did not announce chunked transfer), then
     * {@code ended}, however it ended, even before the first frame was out.
     */
    public static Mono<Void> stream(HttpServerResponse response, SseMessage hello, Mono<Void> rest, Runnable ended) {
        response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-transform")
                .header("X-Accel-Buffering", "no");
        Mono<Void> checked = Mono.defer(() -> sentChunked(response) ? rest
                // Chunks are written pre-framed for HTTP/1.1; never put them on another framing.
                : Mono.error(new IllegalStateException("a stream's response went out without chunked transfer")));
        // A Flux, not a Mono: a single buffer from a Mono would be sent with a Content-Length and end there.
        return response.send(Flux.just(Unpooled.wrappedBuffer(hello.bytes()))).then().then(checked)
                .doFinally(signal -> ended.run());
    }

    /** A refusal before any stream starts. */
    public static Mono<Void> problem(HttpServerResponse response, int status, Long retryAfterSeconds, byte[] json) {
        response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
        if (retryAfterSeconds != null) {
            response.header(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return response.sendByteArray(Mono.just(json)).then();
    }

    /** Whether the response's headers went out announcing chunked transfer (HTTP/1.1). */
    private static boolean sentChunked(HttpServerResponse response) {
        return response.responseHeaders().containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
    }
}
