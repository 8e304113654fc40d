package id.optikmelati.realtime.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the delivery metrics count: every client written to, and a live event's latency once per event loop. */
class StreamMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StreamMeters meters = new StreamMeters(registry, 100);

    @Test
    void aLiveEventWrittenToAnEventLoopsClientsCountsEachAndTakesItsLatencyOnce() {
        long committedAt = System.currentTimeMillis() - 40;

        meters.delivered(3, committedAt);

        assertThat(registry.get("optik.realtime.events.delivered").counter().count()).isEqualTo(3);
        assertThat(registry.get("optik.realtime.delivery.latency").timer().count()).isEqualTo(1);
        assertThat(registry.get("optik.realtime.delivery.latency").timer().max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aLoopThatWroteToNobodyLeavesTheLatencyAlone() {
        meters.delivered(0, System.currentTimeMillis() - 5_000);

        assertThat(registry.get("optik.realtime.events.delivered").counter().count()).isZero();
        assertThat(registry.get("optik.realtime.delivery.latency").timer().count()).isZero();
    }

    @Test
    void aReplayedEventCountsOnceForItsClient() {
        meters.delivered(1, System.currentTimeMillis() - 10);

        assertThat(registry.get("optik.realtime.events.delivered").counter().count()).isEqualTo(1);
        assertThat(registry.get("optik.realtime.delivery.latency").timer().count()).isEqualTo(1);
    }
}
