package id.optikmelati.api.auth;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.redis.RedisConnector;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells the realtime nodes whose tokens are refused, through Redis ({@link RedisKeys#revocations()}:
 * user id to the epoch second before which their tokens are refused), so a node ends a deactivated
 * user's streams without asking the API. PostgreSQL is the truth: each revocation is written to
 * Redis when its transaction commits, and every {@code optik.auth.revocation-sync} the whole set
 * of revocations younger than a token's lifetime is written again (after Redis lost its data, or a
 * write failed), and older ones, which no live token can fall under, are dropped. The same goes for
 * login sessions a logout ended ({@link RedisKeys#endedSessions()}), kept until their absolute end.
 */
@Component
public class TokenRevocations implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(TokenRevocations.class);

    private final RedisConnector redis;
    private final JdbcClient jdbc;
    private final LoginSessions sessions;
    private final Clock clock;
    private final Duration tokenLifetime;
    private final Duration syncInterval;

    TokenRevocations(RedisConnector redis, JdbcClient jdbc, LoginSessions sessions, Clock clock,
            ShopProperties properties) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.sessions = sessions;
        this.clock = clock;
        this.tokenLifetime = properties.auth().tokenTtl();
        this.syncInterval = properties.auth().revocationSync();
    }

    /** Once the caller's transaction commits, the nodes refuse the user's tokens issued before {@code validAfter}. */
    public void afterCommit(long userId, Instant validAfter) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                redis.call(r -> r.hset(RedisKeys.revocations(), Long.toString(userId),
                        Long.toString(validAfter.getEpochSecond()))).exceptionally(e -> {
                            log.warn("revocation of user {} not in Redis yet, the next sync writes it: {}", userId,
                                    e.toString());
                            return null;
                        });
            }
        });
    }

    /** Once the caller's transaction commits, the nodes refuse the session's tokens (and end its streams). */
    public void sessionEndedAfterCommit(LoginSessions.Session session) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                redis.call(r -> r.hset(RedisKeys.endedSessions(), session.id().toString(),
                        Long.toString(session.expiresAt().getEpochSecond()))).exceptionally(e -> {
                            log.warn("ended session not in Redis yet, the next sync writes it: {}", e.toString());
                            return null;
                        });
            }
        });
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::sync, syncInterval);
    }

    /** Makes the Redis hash {@code key} hold {@code fields}: writes them again, drops what is no longer among them. */
    private void mirror(String key, Map<String, String> fields) {
        if (!fields.isEmpty()) {
            redis.sync().hset(key, fields);
        }
        Set<String> stale = new HashSet<>(redis.sync().hkeys(key));
        stale.removeAll(fields.keySet());
        if (!stale.isEmpty()) {
            redis.sync().hdel(key, stale.toArray(String[]::new));
        }
    }

    /** Writes every live revocation to Redis again, and drops those no live token can fall under. */
    void sync() {
        try {
            Map<String, String> live = new HashMap<>();
            jdbc.sql("select id, tokens_valid_after from app_user where tokens_valid_after > :since")
                    .param("since", Timestamp.from(clock.instant().minus(tokenLifetime)))
                    .query((rs, i) -> live.put(Long.toString(rs.getLong("id")),
                            Long.toString(rs.getTimestamp("tokens_valid_after").toInstant().getEpochSecond())))
                    .list();
            mirror(RedisKeys.revocations(), live);
            Map<String, String> ended = new HashMap<>();
            for (LoginSessions.Session s : sessions.endedEarly()) {
                ended.put(s.id().toString(), Long.toString(s.expiresAt().getEpochSecond()));
            }
            mirror(RedisKeys.endedSessions(), ended);
            sessions.deleteLongOver();
        } catch (RuntimeException e) {
            log.debug("revocation sync skipped (Redis or PostgreSQL unavailable): {}", e.toString());
        }
    }
}
