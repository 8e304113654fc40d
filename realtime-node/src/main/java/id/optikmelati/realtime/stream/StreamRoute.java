package id.optikmelati.realtime.stream;

import id.optikmelati.contract.AccessTokens;
import id.optikmelati.contract.ScreenMessages;
import id.optikmelati.realtime.RealtimeProperties;
import id.optikmelati.realtime.admission.Admission;
import id.optikmelati.realtime.admission.Refusal;
import id.optikmelati.realtime.admission.RefusalProblems;
import id.optikmelati.realtime.admission.StreamRequest;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.wire.SocketWriter;
import id.optikmelati.realtime.wire.StreamResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.web.cors.CorsConfiguration;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The four streams, {@code /realtime/<name>}, served on Reactor Netty's own request and response,
 * ahead of WebFlux: a stream holds its socket for hours, and WebFlux's exchange, filters and
 * handler chain would stay behind each one all that time (about half of what an idle stream held).
 * A request is admitted or refused ({@link Admission}) before anything starts; an admitted one
 * becomes a {@link Connection} that the hub brings live, and that ends on a token's expiry, the
 * client going, a cut-off, or the node's drain. Other paths, and a CORS preflight, go on to WebFlux.
 */
public class StreamRoute implements NettyRouteProvider {

    private static final Logger log = LoggerFactory.getLogger(StreamRoute.class);
    private static final String PREFIX = "/realtime/";

    private final Hub hub;
    private final Admission admission;
    private final RefusalProblems problems;
    private final ControlMessages messages;
    private final StreamMeters meters;
    private final RealtimeProperties config;
    private final CorsConfiguration cors;

    public StreamRoute(Hub hub, Admission admission, RefusalProblems problems, ControlMessages messages,
            StreamMeters meters, RealtimeProperties config, CorsConfiguration cors) {
        this.hub = hub;
        this.admission = admission;
        this.problems = problems;
        this.messages = messages;
        this.meters = meters;
        this.config = config;
        this.cors = cors;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(StreamRoute::isStream, this::serve);
    }

    /** {@code /realtime/<one segment>}, any method but a CORS preflight (which WebFlux's CORS filter answers). */
    private static boolean isStream(HttpServerRequest request) {
        String path = request.fullPath();
        return path.startsWith(PREFIX) && path.indexOf('/', PREFIX.length()) < 0 && path.length() > PREFIX.length()
                && !request.method().equals(HttpMethod.OPTIONS);
    }

    private Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        String path = request.fullPath();
        String acceptLanguage = request.requestHeaders().get(HttpHeaderNames.ACCEPT_LANGUAGE);
        if (!request.method().equals(HttpMethod.GET)) {
            response.header(HttpHeaderNames.ALLOW, "GET");
            return refuse(new Admission.Refused(Refusal.METHOD_NOT_ALLOWED, new Object[0]), acceptLanguage, path, response);
        }
        String origin = request.requestHeaders().get(HttpHeaderNames.ORIGIN);
        if (origin != null) {
            String allowed = cors.checkOrigin(origin);
            if (allowed != null) {
                response.header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed)
                        .header(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                        .header(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, String.join(",", cors.getExposedHeaders()))
                        .header(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
            } else if (!sameOrigin(origin, request)) {
                return refuse(new Admission.Refused(Refusal.FOREIGN_ORIGIN, new Object[] {origin}), acceptLanguage, path,
                        response);
            }
        }
        QueryStringDecoder query;
        String name;
        try {
            query = new QueryStringDecoder(request.uri());
            query.parameters();
            name = QueryStringDecoder.decodeComponent(path.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) { // a % not followed by two hex digits
            return refuse(new Admission.Refused(Refusal.BAD_ENCODING, new Object[0]), acceptLanguage, path, response);
        }
        String lastEventIdHeader = request.requestHeaders().get("Last-Event-ID");
        String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : first(query, "lastEventId");
        InetSocketAddress remote = request.remoteAddress();
        String clientIp = remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
        StreamRequest asked = new StreamRequest(name, first(query, "branch"),
                request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION), tokenCookie(request), clientIp,
                acceptLanguage, path);
        CompletableFuture<Admission.Decision> admitting = admission.admit(asked);
        // A client that goes while it is being admitted (a tab navigating on) cancels this before the
        // stream starts: its lease, already taken, is given back here, or it would count against the
        // user's limit until it expired. A stream that started gives it back when it ends.
        AtomicBoolean started = new AtomicBoolean();
        return Mono.fromFuture(admitting, true).flatMap(decision -> {
                    if (decision instanceof Admission.Admitted admitted) {
                        started.set(true);
                        return start(admitted, lastEventId, request, response);
                    }
                    return refuse((Admission.Refused) decision, acceptLanguage, path, response);
                })
                .doOnCancel(() -> admitting.thenAccept(decision -> {
                    if (decision instanceof Admission.Admitted admitted && !started.get()) {
                        admission.release(admitted);
                    }
                }));
    }

    private static String first(QueryStringDecoder query, String parameter) {
        List<String> values = query.parameters().get(parameter);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String tokenCookie(HttpServerRequest request) {
        String header = request.requestHeaders().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        Set<Cookie> cookies = ServerCookieDecoder.LAX.decode(header);
        return cookies.stream().filter(c -> c.name().equals(AccessTokens.COOKIE_NAME)).map(Cookie::value).findFirst()
                .orElse(null);
    }

    /** Whether the page's origin is this node's own (a browser may send Origin on a same-origin request too). */
    private static boolean sameOrigin(String origin, HttpServerRequest request) {
        try {
            URI page = URI.create(origin);
            String host = request.requestHeaders().get(HttpHeaderNames.HOST);
            return host != null && page.getRawAuthority() != null && page.getRawAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Mono<Void> refuse(Admission.Refused refused, String acceptLanguage, String path, HttpServerResponse response) {
        byte[] body = problems.body(refused, RefusalProblems.languages(acceptLanguage), path);
        return StreamResponse.problem(response, refused.refusal().status().value(),
                refused.refusal().retryAfterSeconds(), body);
    }

    private Mono<Void> start(Admission.Admitted admitted, String lastEventId, HttpServerRequest request,
            HttpServerResponse response) {
        Sinks.Empty<Void> finished = Sinks.empty();
        SocketWriter socket = StreamResponse.writerFor(request, config.behindAfter());
        Connection connection = new Connection(admitted.leaseId(), admitted.viewer(), admitted.endpoint(),
                admitted.view(), socket, config.sendBuffer(), config.stallTimeout(), new Connection.Events() {
                    @Override
                    public void delivered(long committedAtMillis) {
                        meters.delivered(1, committedAtMillis);
                    }

                    @Override
                    public void skipped(long messages) {
                        meters.skipped(messages);
                    }

                    @Override
                    public void finished() {
                        finished.tryEmitEmpty();
                    }
                });
        meters.opened(admitted.endpoint());
        Duration untilExpiry = Duration.between(Instant.now(), admitted.viewer().expiresAt());
        Disposable expiry = Schedulers.parallel().schedule(() -> connection.finish(Connection.Reason.TOKEN_EXPIRED,
                messages.tokenExpired()), Math.max(0, untilExpiry.toMillis()), TimeUnit.MILLISECONDS);
        Mono<Void> live = Mono.defer(() -> {
            // A closed socket (client gone, or cut off) ends the response here too, so the clean-up
            // (the lease, the counters) never waits on the server noticing the close by itself.
            socket.onClose(finished::tryEmitEmpty);
            hub.open(connection, lastEventId).exceptionally(e -> {
                log.warn("could not open a stream for {}: {}", admitted.viewer().username(), e.toString(), e);
                connection.finish(Connection.Reason.UNAVAILABLE,
                        messages.reconnect(ScreenMessages.ReconnectReason.UNAVAILABLE));
                return null;
            });
            return finished.asMono();
        });
        Runnable ended = () -> {
            expiry.dispose();
            hub.close(connection);
            admission.release(admitted);
            meters.closed(admitted.endpoint(), connection.endReason());
        };
        return StreamResponse.stream(response, messages.hello(), live, ended);
    }
}
