package id.optikmelati.redis;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code redis} component of {@code /actuator/health}: up when Redis answers a PING on the shared
 * connection within the command timeout. Raw Lettuce, not Spring Data Redis, talks to Redis here
 * (sharded pub/sub and the relay's script need it), so Boot's own Redis indicator has no connection
 * factory to use. It is not part of the liveness or readiness probes: the API sells on without Redis
 * (the outbox waits), and a realtime node's readiness already follows its subscription.
 */
public final class RedisHealth implements HealthIndicator {

    private final RedisConnector redis;
    private final Duration timeout;

    public RedisHealth(RedisConnector redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        long start = System.nanoTime();
        String mode = redis.mode().name().toLowerCase(Locale.ROOT);
        try {
            redis.ping().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().withDetail("mode", mode)
                    .withDetail("pingMillis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("mode", mode).build();
        } catch (Exception e) {
            return Health.down().withDetail("mode", mode).withDetail("error", "no answer to PING").build();
        }
    }
}
