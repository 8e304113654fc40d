package id.optikmelati.realtime.admission;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.redis.RedisConnector;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user connection limit across the whole cluster: each open stream holds a leased slot in
 * a Redis sorted set (score: lease expiry), named after the node that holds the stream. Heartbeats
 * renew the leases; the node itself announces that it lives every few seconds. When a user is at the
 * limit, the slots of nodes that no longer announce themselves (crashed) are dropped before the
 * stream is refused, so a dead node's screens are back on another node at once instead of after a
 * lease. If Redis cannot be asked, the connection is allowed: a screen staying live matters more
 * than the limit during an outage.
 */
public final class ConnectionLimiter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    // Encoded once: Lettuce would encode a script given as a string again on every call.
    private static final byte[] ACQUIRE = script("""
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
            redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """);

    private static final byte[] RENEW = script("""
            redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """);

    private final RedisConnector redis;
    private final String nodeId;
    private final int limit;
    private final Duration lease;
    private final Duration liveness;
    private final Clock clock;

    /**
     * @param nodeId this node's name in the slots, unique per process
     * @param lease how long a slot lives without a renewal, whatever its node
     * @param liveness how long this node counts as alive after it last announced itself
     */
    public ConnectionLimiter(RedisConnector redis, String nodeId, int limit, Duration lease, Duration liveness,
            Clock clock) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.limit = limit;
        this.lease = lease;
        this.liveness = liveness;
        this.clock = clock;
    }

    private static byte[] script(String lua) {
        return lua.getBytes(StandardCharsets.UTF_8);
    }

    /** Streams one user may hold across the cluster. */
    public int limit() {
        return limit;
    }

    /** How often {@link #announce()} must run for the node to stay alive in the others' eyes. */
    public Duration announceEvery() {
        return liveness.dividedBy(3);
    }

    /** Says that this node lives, for {@link #liveness}. */
    public CompletableFuture<String> announce() {
        return redis.call(r -> r.set(RedisKeys.nodeAlive(nodeId), "1", SetArgs.Builder.px(liveness.toMillis())));
    }

    /** Says that this node is gone (a clean shutdown, after its streams ended). */
    public void retire() {
        redis.call(r -> r.del(RedisKeys.nodeAlive(nodeId)));
    }

    public CompletableFuture<Boolean> acquire(long userId, String connectionId) {
        String slot = slot(connectionId);
        return tryAcquire(userId, slot)
                .thenCompose(ok -> ok ? CompletableFuture.completedFuture(true)
                        : dropSlotsOfDeadNodes(userId).thenCompose(dropped -> dropped > 0
                                ? tryAcquire(userId, slot) : CompletableFuture.completedFuture(false)))
                .exceptionally(e -> {
                    log.warn("connection limit not checked (Redis unavailable): {}", e.toString());
                    return true;
                });
    }

    private CompletableFuture<Boolean> tryAcquire(long userId, String slot) {
        String now = Long.toString(clock.millis());
        return redis.call(r -> r.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.connections(userId)},
                        now, Long.toString(lease.toMillis()), Integer.toString(limit), slot))
                .thenApply(r -> r == 1L);
    }

    /**
     * Removes the user's slots held by nodes that stopped announcing themselves; answers how many.
     * Only asked when a user is at the limit, so it costs nothing on the usual connect.
     */
    private CompletableFuture<Integer> dropSlotsOfDeadNodes(long userId) {
        String key = RedisKeys.connections(userId);
        return redis.call(r -> r.zrange(key, 0, -1)).thenCompose(slots -> {
            Map<String, List<String>> byNode = slots.stream().filter(s -> s.indexOf('/') > 0)
                    .collect(Collectors.groupingBy(s -> s.substring(0, s.indexOf('/'))));
            byNode.remove(nodeId);
            List<CompletableFuture<List<String>>> dead = new ArrayList<>();
            byNode.forEach((node, held) -> dead.add(redis.call(r -> r.exists(RedisKeys.nodeAlive(node)))
                    .thenApply(n -> n == 0 ? held : List.<String>of())));
            return CompletableFuture.allOf(dead.toArray(CompletableFuture[]::new)).thenCompose(v -> {
                String[] gone = dead.stream().flatMap(f -> f.join().stream()).toArray(String[]::new);
                if (gone.length == 0) {
                    return CompletableFuture.completedFuture(0);
                }
                log.info("dropped {} stream slots of user {} held by nodes that stopped", gone.length, userId);
                return redis.call(r -> r.zrem(key, gone)).thenApply(Long::intValue);
            });
        });
    }

    /** Extends a slot's lease (and its set's expiry) in one round trip; a slot already gone stays gone. */
    public void renew(long userId, String connectionId) {
        redis.call(r -> r.<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] {RedisKeys.connections(userId)},
                Long.toString(clock.millis() + lease.toMillis()), Long.toString(lease.toMillis()),
                slot(connectionId)));
    }

    public void release(long userId, String connectionId) {
        redis.call(r -> r.zrem(RedisKeys.connections(userId), slot(connectionId)));
    }

    private String slot(String connectionId) {
        return nodeId + "/" + connectionId;
    }
}
