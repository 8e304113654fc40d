package id.optikmelati.realtime.stream;

import id.optikmelati.contract.ScreenMessages;
import id.optikmelati.realtime.RealtimeProperties;
import id.optikmelati.realtime.admission.Admission;
import id.optikmelati.realtime.admission.RefusalProblems;
import id.optikmelati.realtime.screen.ControlMessages;
import id.optikmelati.realtime.wire.SocketWriter;
import id.optikmelati.realtime.wire.StreamResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The four streams, {@code /realtime/<name>}. A request is admitted or refused ({@link Admission})
 * before anything starts; an admitted one becomes a {@link Connection} that the hub brings live,
 * and that ends on a token's expiry, the client going, a cut-off, or the node's drain.
 */
@RestController
public class StreamController {

    private static final Logger log = LoggerFactory.getLogger(StreamController.class);

    private final Hub hub;
    private final Admission admission;
    private final RefusalProblems problems;
    private final ControlMessages messages;
    private final StreamMeters meters;
    private final RealtimeProperties config;

    StreamController(Hub hub, Admission admission, RefusalProblems problems, ControlMessages messages,
            StreamMeters meters, RealtimeProperties config) {
        this.hub = hub;
        this.admission = admission;
        this.problems = problems;
        this.messages = messages;
        this.meters = meters;
        this.config = config;
    }

    @GetMapping("/realtime/{name}")
    public Mono<Void> stream(@PathVariable String name,
            @RequestParam(name = "branch", required = false) String branchParam,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
            ServerWebExchange exchange) {
        String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam;
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpResponse response = exchange.getResponse();
        CompletableFuture<Admission.Decision> admitting = admission.admit(name, branchParam, request);
        // A client that goes while it is being admitted (a tab navigating on) cancels this before the
        // stream starts: its lease, already taken, is given back here, or it would count against the
        // user's limit until it expired. A stream that started gives it back when it ends.
        AtomicBoolean started = new AtomicBoolean();
        return Mono.fromFuture(admitting, true).flatMap(decision -> {
                    if (decision instanceof Admission.Admitted admitted) {
                        started.set(true);
                        return start(admitted, lastEventId, request, response);
                    }
                    return refuse((Admission.Refused) decision, request, response);
                })
                .doOnCancel(() -> admitting.thenAccept(decision -> {
                    if (decision instanceof Admission.Admitted admitted && !started.get()) {
                        admission.release(admitted);
                    }
                }));
    }

    private Mono<Void> refuse(Admission.Refused refused, ServerHttpRequest request, ServerHttpResponse response) {
        byte[] body = problems.body(refused, RefusalProblems.languages(request.getHeaders()), request.getPath().value());
        return StreamResponse.problem(response, refused.refusal().status().value(),
                refused.refusal().retryAfterSeconds(), body);
    }

    private Mono<Void> start(Admission.Admitted admitted, String lastEventId, ServerHttpRequest request,
            ServerHttpResponse response) {
        Sinks.Empty<Void> finished = Sinks.empty();
        SocketWriter socket = StreamResponse.writerFor(request, config.behindAfter());
        Connection connection = new Connection(admitted.leaseId(), admitted.viewer(), admitted.endpoint(),
                admitted.view(), socket, config.sendBuffer(), config.stallTimeout(), new Connection.Events() {
                    @Override
                    public void delivered(long committedAtMillis) {
                        meters.delivered(committedAtMillis);
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
        return StreamResponse.stream(request, response, messages.hello(), live, ended);
    }
}
