package id.optikmelati.realtime.stream;

import id.optikmelati.contract.EventCursor;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.contract.ShopPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One screen's stream. Holds where the client stands in each branch of its view (the cursor) and
 * a bounded send queue. Until its replay is ready, live events wait in {@code pending}; then the
 * replay goes out, then the pending events, each at most once and in seq order per branch.
 *
 * <p>Every method that emits is synchronized: events arrive on the hub thread, the replay on a
 * Redis thread, and a Reactor sink takes one emitter at a time.
 */
public final class Connection {

    /** Why a stream ended; a label of the disconnect metric. */
    public enum Reason {
        CLIENT_GONE, SLOW_CONSUMER, TOKEN_EXPIRED, SHUTDOWN, GAP, UNAVAILABLE;

        /** Whether the server cuts the connection (nothing more can be sent) rather than ending the stream. */
        boolean cutsOff() {
            return this == SLOW_CONSUMER || this == GAP;
        }
    }

    /** An SSE message's bytes and the commit time of the event behind it (0 for control messages). */
    public record Outgoing(byte[] frame, long committedAtMillis) {}

    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final String id = UUID.randomUUID().toString();
    private final ShopPrincipal viewer;
    private final Endpoint endpoint;
    private final Set<Long> branches;
    private final Sinks.Many<Outgoing> sink;
    private final TreeMap<Long, Long> positions = new TreeMap<>();
    private final List<Visibility.Deliverable> pending = new ArrayList<>();
    private final Consumer<Reason> onKill;
    private final Executor loop;
    private boolean live;
    private boolean closed;
    /** Why the stream ended; stays CLIENT_GONE unless the server ended it. */
    private volatile Reason endReason = Reason.CLIENT_GONE;

    /**
     * @param loop the thread of this client's socket (its Netty event loop): live events are handed
     *     over there, so queueing and writing happen on the thread that owns the socket
     */
    Connection(ShopPrincipal viewer, Endpoint endpoint, Set<Long> branches, int sendBuffer, Executor loop,
            Consumer<Reason> onKill) {
        this.loop = loop;
        this.viewer = viewer;
        this.endpoint = endpoint;
        this.branches = Set.copyOf(branches);
        this.sink = Sinks.many().unicast().onBackpressureBuffer(Queues.<Outgoing>get(sendBuffer).get());
        this.onKill = onKill;
    }

    Executor loop() {
        return loop;
    }

    public String id() {
        return id;
    }

    public ShopPrincipal viewer() {
        return viewer;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Set<Long> branches() {
        return branches;
    }

    Flux<Outgoing> outgoing() {
        return sink.asFlux();
    }

    /** A live event from the hub (hub thread). */
    synchronized void offer(Visibility.Deliverable event) {
        if (closed) {
            return;
        }
        if (!live) {
            pending.add(event);
            return;
        }
        deliver(event);
    }

    /**
     * Goes live: the control messages first (a reset, or the first omset figure), then the replay,
     * then what arrived meanwhile. {@code start} sets where the client stands in each branch.
     */
    synchronized void goLive(Map<Long, Long> start, List<ServerSentEvent<String>> control,
            List<Visibility.Deliverable> replay) {
        if (closed) {
            return;
        }
        positions.putAll(start);
        for (ServerSentEvent<String> c : control) {
            if (!emit(new Outgoing(SseFrames.encode(c), 0))) {
                return;
            }
        }
        for (Visibility.Deliverable d : replay) {
            if (!deliver(d)) {
                return;
            }
        }
        for (Visibility.Deliverable d : pending) {
            if (!deliver(d)) {
                return;
            }
        }
        pending.clear();
        live = true;
    }

    private boolean deliver(Visibility.Deliverable d) {
        ShopEvent e = d.event();
        Long at = positions.get(e.branchId());
        if (at != null && e.seq() <= at) {
            return true; // already delivered (replay and live overlap): at most once
        }
        if (at != null && e.seq() > at + 1) {
            // Events between are missing and could not be filled: end the stream; the client
            // reconnects with its id and gets the history, or a reset if it is really gone.
            kill(Reason.GAP);
            return false;
        }
        positions.put(e.branchId(), e.seq());
        Optional<Visibility.Message> message = Visibility.messageFor(d, endpoint, viewer);
        if (message.isEmpty()) {
            return true; // not for this view; the position still moves on
        }
        byte[] frame = branches.size() == 1
                ? d.singleBranchFrame(endpoint, viewer.role().isAdmin(), message.get())
                : SseFrames.event(EventCursor.format(positions), message.get().name(), message.get().data());
        return emit(new Outgoing(frame, e.committedAt().toEpochMilli()));
    }

    /** A comment line that keeps proxies from closing an idle stream. */
    public synchronized void heartbeat() {
        if (!closed && live) {
            emit(new Outgoing(HEARTBEAT, 0));
        }
    }

    /** Sends one last message (e.g. "reconnect elsewhere") and ends the stream. */
    synchronized void finish(Reason reason, ServerSentEvent<String> last) {
        if (closed) {
            return;
        }
        endReason = reason;
        emit(new Outgoing(SseFrames.encode(last), 0));
        closed = true;
        sink.tryEmitComplete();
    }

    Reason endReason() {
        return endReason;
    }

    synchronized void markClosed() {
        closed = true;
    }

    private boolean emit(Outgoing o) {
        Sinks.EmitResult result = sink.tryEmitNext(o);
        if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
            kill(Reason.SLOW_CONSUMER);
            return false;
        }
        return result.isSuccess();
    }

    private void kill(Reason reason) {
        if (!closed) {
            closed = true;
            endReason = reason;
            onKill.accept(reason);
        }
    }

    static Duration jittered(Duration base, Duration jitter) {
        long extra = jitter.isZero() ? 0 : java.util.concurrent.ThreadLocalRandom.current().nextLong(jitter.toMillis() + 1);
        return base.plusMillis(extra);
    }
}
