package id.optikmelati.realtime.admission;

import id.optikmelati.contract.PlainNumbers;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.realtime.screen.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a request may start a stream, and with what view: the stream named, the connect rate
 * of the client's address, the node's capacity, the token (and whether it was revoked since), the
 * branch asked for, and the user's cluster-wide stream limit, in that order (the cheap checks first). It opens nothing; an admitted
 * stream holds a lease in the limit, which its opener releases when the stream ends.
 */
public final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    /** Users with ids below this are the node's own (its warm-up): no user of the shop has one. */
    public static final long NODE_USER_IDS_BELOW = 1;

    /** The answer. */
    public sealed interface Decision {}

    /**
     * A stream may start.
     *
     * @param view the branches the viewer sees on it
     * @param leaseId the stream's slot in the viewer's limit (also the connection's id)
     */
    public record Admitted(Endpoint endpoint, ShopPrincipal viewer, Set<Long> view, String leaseId) implements Decision {}

    /** It may not; {@code args} fill the refusal's message. */
    public record Refused(Refusal refusal, Object... args) implements Decision {}

    private final StreamAuthenticator authenticator;
    private final Revocations revocations;
    private final ConnectRateLimiter rateLimiter;
    private final ConnectionLimiter limiter;
    private final IntSupplier openStreams;
    private final int maxConnections;
    private final Supplier<CompletableFuture<Map<Long, String>>> branches;
    private final MeterRegistry meters;

    /**
     * @param openStreams the node's open streams now
     * @param branches the chain's branches, id to name
     */
    public Admission(StreamAuthenticator authenticator, Revocations revocations, ConnectRateLimiter rateLimiter,
            ConnectionLimiter limiter, IntSupplier openStreams, int maxConnections,
            Supplier<CompletableFuture<Map<Long, String>>> branches, MeterRegistry meters) {
        this.authenticator = authenticator;
        this.revocations = revocations;
        this.rateLimiter = rateLimiter;
        this.limiter = limiter;
        this.openStreams = openStreams;
        this.maxConnections = maxConnections;
        this.branches = branches;
        this.meters = meters;
    }

    public CompletableFuture<Decision> admit(StreamRequest request) {
        Optional<Endpoint> endpoint = Endpoint.named(request.name());
        if (endpoint.isEmpty()) {
            return refuse(Refusal.UNKNOWN_STREAM, request.name());
        }
        if (!rateLimiter.tryConnect(request.clientIp())) {
            return refuse(Refusal.CONNECT_RATE);
        }
        if (openStreams.getAsInt() >= maxConnections) {
            return refuse(Refusal.NODE_FULL);
        }
        Optional<ShopPrincipal> principal = authenticator.authenticate(request.authorization(), request.tokenCookie());
        if (principal.isEmpty()) {
            return refuse(Refusal.UNAUTHENTICATED);
        }
        ShopPrincipal viewer = principal.get();
        if (revocations.revoked(viewer)) {
            return refuse(Refusal.TOKEN_REVOKED);
        }
        String branchParam = request.branch();
        boolean all = branchParam == null || branchParam.isEmpty();
        OptionalLong plain = all ? OptionalLong.empty() : PlainNumbers.parse(branchParam);
        if (!all && plain.isEmpty()) {
            return refuse(Refusal.BAD_BRANCH);
        }
        Long asked = all ? null : plain.getAsLong();
        if (asked != null && !viewer.mayAccessBranch(asked)) {
            return refuse(Refusal.OTHER_BRANCH, asked.toString());
        }
        return branches.get().thenCompose(known -> {
            Set<Long> view;
            if (!viewer.role().seesEveryBranch()) {
                view = Set.of(viewer.branchId());
            } else if (asked != null) {
                if (!known.containsKey(asked)) {
                    return refuse(Refusal.UNKNOWN_BRANCH, asked.toString());
                }
                view = Set.of(asked);
            } else {
                view = known.keySet();
            }
            return lease(endpoint.get(), viewer, view);
        }).exceptionallyCompose(e -> {
            log.warn("cannot open a stream while Redis is unreachable: {}", e.toString());
            return refuse(Refusal.UNAVAILABLE);
        });
    }

    /**
     * Counted as {@code accepted}, or as {@code warm-up} for the node's own streams before it is ready
     * ({@link #NODE_USER_IDS_BELOW}): a deploy is no reconnect storm.
     */
    private CompletableFuture<Decision> lease(Endpoint endpoint, ShopPrincipal viewer, Set<Long> view) {
        String leaseId = UUID.randomUUID().toString();
        return limiter.acquire(viewer.userId(), leaseId).thenCompose(allowed -> {
            if (!allowed) {
                return refuse(Refusal.STREAM_LIMIT, Integer.toString(limiter.limit()));
            }
            meters.counter("optik.realtime.connects", "outcome", viewer.userId() < NODE_USER_IDS_BELOW ? "warm-up" : "accepted").increment();
            return CompletableFuture.completedFuture(new Admitted(endpoint, viewer, view, leaseId));
        });
    }

    private CompletableFuture<Decision> refuse(Refusal refusal, Object... args) {
        if (refusal.outcome() != null) {
            meters.counter("optik.realtime.connects", "outcome", refusal.outcome()).increment();
        }
        return CompletableFuture.completedFuture(new Refused(refusal, args));
    }

    /** Gives an admitted stream's lease back, once the stream has ended (or never started). */
    public void release(Admitted admitted) {
        limiter.release(admitted.viewer().userId(), admitted.leaseId());
    }
}
