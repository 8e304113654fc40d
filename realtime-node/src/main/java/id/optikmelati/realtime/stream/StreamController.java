package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.RealtimeProperties;
import id.optikmelati.realtime.auth.ConnectRateLimiter;
import id.optikmelati.realtime.auth.ConnectionLimiter;
import id.optikmelati.realtime.auth.StreamAuthenticator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The four streams. Everything that can refuse a stream (token, branch, limits) answers before the
 * stream starts, with a problem+json status; after that the client only ever gets SSE.
 */
@RestController
public class StreamController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StreamController.class);

    private final Hub hub;
    private final StreamAuthenticator authenticator;
    private final ConnectionLimiter limiter;
    private final ConnectRateLimiter rateLimiter;
    private final RealtimeProperties config;
    private final MeterRegistry meters;
    private final Timer deliveryLatency;
    private final Counter delivered;
    private final Map<Endpoint, AtomicInteger> open = new LinkedHashMap<>();
    /** Wraps frames without copying; they are written as they are (no SSE encoder per message). */
    private static final DefaultDataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

    public StreamController(Hub hub, StreamAuthenticator authenticator,
            ConnectionLimiter limiter, ConnectRateLimiter rateLimiter, RealtimeProperties config,
            MeterRegistry meters) {
        this.hub = hub;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.rateLimiter = rateLimiter;
        this.config = config;
        this.meters = meters;
        this.deliveryLatency = Timer.builder("optik.realtime.delivery.latency")
                .description("From an event's commit to the moment it is written to a client")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2))
                .register(meters);
        this.delivered = Counter.builder("optik.realtime.events.delivered")
                .description("SSE messages written to clients").register(meters);
        meters.gauge("optik.realtime.connections.max", config.maxConnections());
        for (Endpoint e : Endpoint.values()) {
            AtomicInteger n = new AtomicInteger();
            open.put(e, n);
            meters.gauge("optik.realtime.connections", io.micrometer.core.instrument.Tags.of("endpoint", e.path()), n);
        }
    }

    @GetMapping("/realtime/{name}")
    public Mono<Void> stream(@PathVariable String name,
            @RequestParam(name = "branch", required = false) String branchParam,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
            ServerWebExchange exchange) {
        return decide(name, branchParam, lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam,
                exchange.getRequest()).flatMap(answer -> write(exchange.getResponse(), answer));
    }

    /**
     * Writes the answer itself: a refusal as problem+json; a stream's headers and first frame, after
     * which its {@link Connection} writes frames (bytes already, encoded once per audience) straight
     * to the socket.
     */
    private static Mono<Void> write(ServerHttpResponse response, ResponseEntity<?> answer) {
        response.setStatusCode(answer.getStatusCode());
        response.getHeaders().putAll(answer.getHeaders());
        if (answer.getBody() instanceof Stream stream) {
            // A Flux, not a Mono: a single-buffer Mono would be sent with a Content-Length and end there.
            return response.writeWith(Flux.just(BUFFERS.wrap(stream.hello()))).then(stream.rest())
                    .doFinally(signal -> stream.ended().run());
        }
        byte[] json = EventCodec.toJsonBytes(answer.getBody());
        return response.writeWith(Mono.just(BUFFERS.wrap(json)));
    }

    private Mono<ResponseEntity<?>> decide(String name, String branchParam, String lastEventId,
            ServerHttpRequest request) {
        Endpoint endpoint = switch (name) {
            case "stock-updates" -> Endpoint.STOCK_UPDATES;
            case "omset-kasir" -> Endpoint.OMSET_KASIR;
            case "notifications" -> Endpoint.NOTIFICATIONS;
            case "dashboard" -> Endpoint.DASHBOARD;
            default -> null;
        };
        if (endpoint == null) {
            return Mono.just(problem(HttpStatus.NOT_FOUND, "Stream tidak ditemukan", "Tidak ada stream " + name + "."));
        }
        if (!rateLimiter.tryConnect(clientIp(request))) {
            connects("rate-limited");
            return Mono.just(problem(HttpStatus.TOO_MANY_REQUESTS, "Terlalu banyak koneksi",
                    "Terlalu banyak koneksi baru dari alamat ini; coba lagi sebentar lagi."));
        }
        if (open.values().stream().mapToInt(AtomicInteger::get).sum() >= config.maxConnections()) {
            connects("node-full");
            return Mono.just(unavailable("Server real-time penuh",
                    "Server ini sudah melayani koneksi sebanyak batasnya; mencoba server lain."));
        }
        Optional<ShopPrincipal> principal = authenticator.authenticate(request);
        if (principal.isEmpty()) {
            connects("unauthenticated");
            return Mono.just(problem(HttpStatus.UNAUTHORIZED, "Belum masuk",
                    "Token akses tidak ada, tidak valid, atau kedaluwarsa. Silakan masuk kembali."));
        }
        ShopPrincipal viewer = principal.get();
        Long asked;
        try {
            asked = branchParam == null || branchParam.isBlank() ? null : Long.parseLong(branchParam.trim());
        } catch (NumberFormatException e) {
            return Mono.just(problem(HttpStatus.BAD_REQUEST, "Cabang tidak valid", "Parameter branch harus angka."));
        }
        if (asked != null && !viewer.mayAccessBranch(asked)) {
            connects("forbidden");
            return Mono.just(problem(HttpStatus.FORBIDDEN, "Cabang lain",
                    "Anda tidak dapat melihat data cabang " + asked + "."));
        }

        return Mono.fromFuture(hub.branches()).flatMap(branches -> {
            Set<Long> view;
            if (!viewer.role().seesEveryBranch()) {
                view = Set.of(viewer.branchId());
            } else if (asked != null) {
                if (!branches.containsKey(asked)) {
                    return Mono.just(problem(HttpStatus.NOT_FOUND, "Cabang tidak ditemukan",
                            "Cabang " + asked + " tidak ditemukan."));
                }
                view = Set.of(asked);
            } else {
                view = branches.keySet();
            }
            return open(endpoint, viewer, view, lastEventId, request);
        }).onErrorResume(e -> {
            // Redis is unreachable and this node has not learned the branches yet
            log.warn("cannot open a stream while Redis is unreachable: {}", e.toString());
            connects("unavailable");
            return Mono.just(unavailable("Layanan real-time belum siap",
                    "Server real-time belum terhubung ke Redis; mencoba lagi otomatis."));
        });
    }

    private Mono<ResponseEntity<?>> open(Endpoint endpoint, ShopPrincipal viewer, Set<Long> view,
            String lastEventId, ServerHttpRequest request) {
        Sinks.Empty<Void> finished = Sinks.empty();
        Channel channel = channelOf(request);
        Connection connection = new Connection(viewer, endpoint, view, config.sendBuffer(), channel,
                new Connection.Events() {
                    @Override
                    public void delivered(long committedAtMillis) {
                        delivered.increment();
                        deliveryLatency.record(Math.max(0, System.currentTimeMillis() - committedAtMillis),
                                TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void finished() {
                        finished.tryEmitEmpty();
                    }
                });
        return Mono.fromFuture(limiter.acquire(viewer.userId(), connection.id())).map(allowed -> {
            if (!allowed) {
                connects("over-limit");
                return problem(HttpStatus.TOO_MANY_REQUESTS, "Batas koneksi tercapai",
                        "Anda sudah membuka " + config.connectionsPerUser()
                                + " koneksi real-time; tutup tab lain lalu coba lagi.");
            }
            connects("accepted");
            open.get(endpoint).incrementAndGet();
            Duration untilExpiry = Duration.between(Instant.now(), viewer.expiresAt());
            Disposable expiry = Schedulers.parallel().schedule(() -> connection.finish(
                    Connection.Reason.TOKEN_EXPIRED, ServerSentEvent.<String>builder()
                    .event("token-expired")
                    .retry(Connection.jittered(config.retryBase(), config.retryJitter()))
                    .data("{\"reason\":\"token-expired\",\"action\":\"refresh-and-reconnect\"}").build()),
                    Math.max(0, untilExpiry.toMillis()), TimeUnit.MILLISECONDS);
            ServerSentEvent<String> hello = ServerSentEvent.<String>builder()
                    .comment("connected")
                    .retry(Connection.jittered(config.retryBase(), config.retryJitter()))
                    .build();
            // The response's headers and first frame go out through WebFlux; from then on the
            // connection writes to the socket itself, and the response ends when the stream does.
            Mono<Void> rest = Mono.defer(() -> {
                // A closed socket (client gone, or cut off) ends the response here too, so the clean-up
                // (user slot, counters) never waits on the server noticing the close by itself.
                channel.closeFuture().addListener(closed -> finished.tryEmitEmpty());
                if (!sentChunked(request)) {
                    // Frames are written pre-framed as HTTP/1.1 chunks; never put them on another framing.
                    return Mono.error(new IllegalStateException("a stream's response went out without chunked transfer"));
                }
                hub.open(connection, lastEventId).exceptionally(e -> {
                    log.warn("could not open a stream for {}: {}", viewer.username(), e.toString(), e);
                    connection.finish(Connection.Reason.UNAVAILABLE, ServerSentEvent.<String>builder().event("reconnect")
                            .retry(Connection.jittered(config.retryBase(), config.retryJitter()))
                            .data("{\"reason\":\"unavailable\"}").build());
                    return null;
                });
                return finished.asMono();
            });
            Runnable ended = () -> {
                expiry.dispose();
                hub.close(connection);
                limiter.release(viewer.userId(), connection.id());
                open.get(endpoint).decrementAndGet();
                disconnects(connection.endReason());
            };
            return ResponseEntity.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache, no-transform")
                    .header("X-Accel-Buffering", "no")
                    .body(new Stream(SseFrames.encode(hello), rest, ended));
        });
    }

    /**
     * An open stream's answer: its first frame, then whatever the connection writes until it ends,
     * then the clean-up (however it ended, even before the first frame was out).
     */
    private record Stream(byte[] hello, Mono<Void> rest, Runnable ended) {}

    private void connects(String outcome) {
        meters.counter("optik.realtime.connects", "outcome", outcome).increment();
    }

    private void disconnects(Connection.Reason reason) {
        meters.counter("optik.realtime.disconnects", "reason",
                reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).increment();
    }

    /** Whether the response's headers went out announcing chunked transfer (HTTP/1.1). */
    private static boolean sentChunked(ServerHttpRequest request) {
        return ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerResponse r
                && r.responseHeaders().containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
    }

    /** The socket of the request: streams are written to it directly. */
    private static Channel channelOf(ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (nativeRequest instanceof reactor.netty.Connection c) {
            return c.channel();
        }
        throw new IllegalStateException("streams need the Reactor Netty server, not " + nativeRequest.getClass());
    }

    private static String clientIp(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private static ResponseEntity<?> problem(HttpStatus status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://optikmelati.id/problems/realtime");
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static ResponseEntity<?> unavailable(String title, String detail) {
        ResponseEntity<?> refused = problem(HttpStatus.SERVICE_UNAVAILABLE, title, detail);
        return ResponseEntity.status(refused.getStatusCode()).headers(refused.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "2").body(refused.getBody());
    }
}
