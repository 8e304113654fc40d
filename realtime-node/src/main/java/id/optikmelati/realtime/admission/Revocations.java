package id.optikmelati.realtime.admission;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopPrincipal;
import id.optikmelati.redis.RedisConnector;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Whose tokens are refused before their expiry (a deactivated user, a reset password, a new role or
 * branch), as the API writes it to Redis: user id to the epoch second before which their tokens are
 * refused; and which login sessions a logout ended (session id to its absolute end). Read every few
 * seconds, never per connection; what was learned is kept while Redis is away or comes back empty
 * (the API writes it again within its sync interval), and forgotten only once no live token can fall
 * under it.
 */
public final class Revocations {

    private final RedisConnector redis;
    private final Clock clock;
    private final Duration keep;
    private volatile Map<Long, Long> validAfter = Map.of();
    /** Session id to the epoch second it would have ended at anyway. */
    private volatile Map<String, Long> endedSessions = Map.of();

    /** @param keep how long a revocation is remembered here: at least a token's whole lifetime */
    public Revocations(RedisConnector redis, Clock clock, Duration keep) {
        this.redis = redis;
        this.clock = clock;
        this.keep = keep;
    }

    public boolean revoked(ShopPrincipal viewer) {
        Long after = validAfter.get(viewer.userId());
        return (after != null && viewer.issuedAt().getEpochSecond() < after)
                || (viewer.sessionId() != null && endedSessions.containsKey(viewer.sessionId()));
    }

    /** Reads the revocations again; completes once they are in (or Redis could not be asked). */
    public CompletableFuture<Void> refresh() {
        CompletableFuture<Void> sessions = redis.call(r -> r.hgetall(RedisKeys.endedSessions())).thenAccept(fields -> {
            long now = clock.instant().getEpochSecond();
            Map<String, Long> next = new HashMap<>();
            endedSessions.forEach((session, end) -> {
                if (end > now) {
                    next.put(session, end);
                }
            });
            fields.forEach((session, end) -> {
                try {
                    next.put(session, Long.parseLong(end));
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            });
            endedSessions = Map.copyOf(next);
        }).exceptionally(e -> null);
        CompletableFuture<Void> users = redis.call(r -> r.hgetall(RedisKeys.revocations())).thenAccept(fields -> {
            long forgetBefore = clock.instant().minus(keep).getEpochSecond();
            Map<Long, Long> next = new HashMap<>();
            validAfter.forEach((user, second) -> {
                if (second > forgetBefore) {
                    next.put(user, second);
                }
            });
            fields.forEach((user, second) -> {
                try {
                    next.merge(Long.parseLong(user), Long.parseLong(second), Math::max);
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            });
            validAfter = Map.copyOf(next);
        }).exceptionally(e -> null);
        return CompletableFuture.allOf(sessions, users);
    }
}
