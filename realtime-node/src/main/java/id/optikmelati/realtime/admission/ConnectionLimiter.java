package id.optikmelati.realtime.admission;

import id.optikmelati.contract.RedisKeys;
import id.optikmelati.redis.RedisConnector;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user connection limit across the whole cluster: each open stream holds a leased slot in
 * a Redis sorted set (score: lease expiry). Heartbeats renew the lease; a node that dies lets its
 * slots expire within one lease. If Redis cannot be asked, the connection is allowed: a screen
 * staying live matters more than the limit during an outage.
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
    private final int limit;
    private final Duration lease;
    private final Clock clock;

    public ConnectionLimiter(RedisConnector redis, int limit, Duration lease, Clock clock) {
        this.redis = redis;
        this.limit = limit;
        this.lease = lease;
        this.clock = clock;
    }

    private static byte[] script(String lua) {
        return lua.getBytes(StandardCharsets.UTF_8);
    }

    /** Streams one user may hold across the cluster. */
    public int limit() {
        return limit;
    }

    public CompletableFuture<Boolean> acquire(long userId, String connectionId) {
        String now = Long.toString(clock.millis());
        return redis.call(r -> r.<Long>eval(ACQUIRE, ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.connections(userId)},
                        now, Long.toString(lease.toMillis()), Integer.toString(limit), connectionId))
                .thenApply(r -> r == 1L)
                .exceptionally(e -> {
                    log.warn("connection limit not checked (Redis unavailable): {}", e.toString());
                    return true;
                });
    }

    /** Extends a slot's lease (and its set's expiry) in one round trip; a slot already gone stays gone. */
    public void renew(long userId, String connectionId) {
        redis.call(r -> r.<Long>eval(RENEW, ScriptOutputType.INTEGER, new String[] {RedisKeys.connections(userId)},
                Long.toString(clock.millis() + lease.toMillis()), Long.toString(lease.toMillis()), connectionId));
    }

    public void release(long userId, String connectionId) {
        redis.call(r -> r.zrem(RedisKeys.connections(userId), connectionId));
    }
}
