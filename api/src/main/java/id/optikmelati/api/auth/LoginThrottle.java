package id.optikmelati.api.auth;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.redis.RedisConnector;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Login rate limit and lockout, held in Redis (Bucket4j) so they hold across API nodes: each
 * client address may try {@code loginAttemptsPerIpPerMinute} logins a minute, and a username that
 * failed {@code loginMaxFailures} times is locked until its attempts refill ({@code loginLockout}).
 * While Redis is unreachable logins are not throttled (staff must be able to log in); that is logged.
 */
@Component
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final RedisConnector redis;
    private final BucketConfiguration perUser;
    private final BucketConfiguration perIp;
    private volatile ProxyManager<byte[]> buckets;

    LoginThrottle(RedisConnector redis, ShopProperties properties) {
        this.redis = redis;
        ShopProperties.Auth auth = properties.auth();
        this.perUser = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(auth.loginMaxFailures())
                        .refillIntervally(auth.loginMaxFailures(), auth.loginLockout()))
                .build();
        this.perIp = BucketConfiguration.builder()
                .addLimit(l -> l.capacity(auth.loginAttemptsPerIpPerMinute())
                        .refillGreedy(auth.loginAttemptsPerIpPerMinute(), Duration.ofMinutes(1)))
                .build();
    }

    /** Thrown when a login may not be tried now; says when it may. */
    public static final class Throttled extends RuntimeException {
        private final Duration retryAfter;

        Throttled(Duration retryAfter) {
            super("login throttled for " + retryAfter, null, false, false);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** Before checking a password: counts the attempt against the address, refuses a locked username. */
    public void beforeAttempt(String username, String ip) {
        proxy().ifPresent(p -> {
            try {
                ConsumptionProbe fromIp = p.builder().build(key(RedisKeys.loginAttemptsFromIp(ip)), () -> perIp)
                        .tryConsumeAndReturnRemaining(1);
                if (!fromIp.isConsumed()) {
                    throw new Throttled(Duration.ofNanos(fromIp.getNanosToWaitForRefill()));
                }
                var user = p.builder().build(userKey(username), () -> perUser);
                if (user.getAvailableTokens() <= 0) {
                    throw new Throttled(Duration.ofNanos(user.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
                }
            } catch (Throttled t) {
                throw t;
            } catch (RuntimeException e) {
                log.warn("login not throttled (Redis unavailable): {}", e.toString());
            }
        });
    }

    /** A wrong password: one failure less before the username is locked. */
    public void failed(String username) {
        proxy().ifPresent(p -> {
            try {
                p.builder().build(userKey(username), () -> perUser).tryConsume(1);
            } catch (RuntimeException e) {
                log.warn("login failure not counted (Redis unavailable): {}", e.toString());
            }
        });
    }

    /** A correct password: the username's failures are forgiven. */
    public void succeeded(String username) {
        proxy().ifPresent(p -> {
            try {
                p.builder().build(userKey(username), () -> perUser).reset();
            } catch (RuntimeException e) {
                log.warn("login failures not reset (Redis unavailable): {}", e.toString());
            }
        });
    }

    private static byte[] userKey(String username) {
        return key(RedisKeys.loginAttempts(username.toLowerCase(Locale.ROOT)));
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Built on first use, so an API node starts while Redis is down. */
    private Optional<ProxyManager<byte[]>> proxy() {
        ProxyManager<byte[]> p = buckets;
        if (p == null) {
            synchronized (this) {
                if (buckets == null) {
                    try {
                        var expiry = ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));
                        buckets = redis.mode() == RedisConnector.Mode.CLUSTER
                                ? Bucket4jLettuce.casBasedBuilder(redis.cluster()).expirationAfterWrite(expiry).build()
                                : Bucket4jLettuce.casBasedBuilder(redis.client()).expirationAfterWrite(expiry).build();
                    } catch (RuntimeException e) {
                        log.warn("login throttling unavailable (Redis unreachable): {}", e.toString());
                        return Optional.empty();
                    }
                }
                p = buckets;
            }
        }
        return Optional.of(p);
    }
}
