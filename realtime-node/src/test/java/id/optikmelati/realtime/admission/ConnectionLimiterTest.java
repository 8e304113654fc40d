package id.optikmelati.realtime.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import id.optikmelati.redis.RedisConnector;
import id.optikmelati.testkit.RedisProcess;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cluster-wide stream limit on a real Redis, with two nodes sharing it. */
class ConnectionLimiterTest {

    static RedisProcess redis;
    static RedisConnector connector;
    static long user = 100;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start(0);
        connector = new RedisConnector(redis.uri(), RedisConnector.Mode.STANDALONE, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        connector.close();
        redis.stop();
    }

    static ConnectionLimiter node(String id, Duration liveness) {
        return new ConnectionLimiter(connector, id, 2, Duration.ofMinutes(5), liveness, Clock.systemUTC());
    }

    @Test
    void theLimitCountsStreamsOnEveryNodeAndAReleasedOneFreesItsSlot() {
        long u = user++;
        ConnectionLimiter a = node("a-" + u, Duration.ofSeconds(30));
        ConnectionLimiter b = node("b-" + u, Duration.ofSeconds(30));
        a.announce().join();
        b.announce().join();
        assertThat(a.acquire(u, "1").join()).isTrue();
        assertThat(b.acquire(u, "2").join()).isTrue();
        assertThat(b.acquire(u, "3").join()).isFalse();
        assertThat(a.acquire(u, "3").join()).isFalse();
        a.release(u, "1");
        await().atMost(Duration.ofSeconds(2)).until(() -> b.acquire(u, "4").join());
    }

    @Test
    void theStreamsOfANodeThatStoppedSigningStopCountingLongBeforeTheirLease() {
        long u = user++;
        ConnectionLimiter crashed = node("crashed-" + u, Duration.ofMillis(600));
        ConnectionLimiter alive = node("alive-" + u, Duration.ofSeconds(30));
        crashed.announce().join(); // and never again: the node died
        alive.announce().join();
        assertThat(crashed.acquire(u, "1").join()).isTrue();
        assertThat(crashed.acquire(u, "2").join()).isTrue();
        assertThat(alive.acquire(u, "3").join()).as("while the node still counts as alive").isFalse();
        await().atMost(Duration.ofSeconds(3)).until(() -> alive.acquire(u, "3").join());
        assertThat(alive.acquire(u, "4").join()).isTrue();
        assertThat(alive.acquire(u, "5").join()).as("the limit holds again, now on the live node").isFalse();
    }

    @Test
    void aNodeThatRetiresCleanlyIsGoneAtOnce() {
        long u = user++;
        ConnectionLimiter leaving = node("leaving-" + u, Duration.ofSeconds(30));
        ConnectionLimiter staying = node("staying-" + u, Duration.ofSeconds(30));
        leaving.announce().join();
        staying.announce().join();
        assertThat(leaving.acquire(u, "1").join()).isTrue();
        assertThat(leaving.acquire(u, "2").join()).isTrue();
        leaving.retire(); // its streams failed to release (e.g. Redis was slow at shutdown)
        await().atMost(Duration.ofSeconds(2)).until(() -> staying.acquire(u, "3").join());
    }
}
