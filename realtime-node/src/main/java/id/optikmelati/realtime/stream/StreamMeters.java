package id.optikmelati.realtime.stream;

import id.optikmelati.realtime.screen.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The streams' own metrics: open streams by endpoint, deliveries and their latency, disconnects by reason. */
public final class StreamMeters {

    private final MeterRegistry meters;
    private final Timer deliveryLatency;
    private final Counter delivered;
    private final Counter skipped;
    private final Map<Endpoint, AtomicInteger> open = new EnumMap<>(Endpoint.class);

    public StreamMeters(MeterRegistry meters, int maxConnections) {
        this.meters = meters;
        this.deliveryLatency = Timer.builder("optik.realtime.delivery.latency")
                .description("From an event's commit until it is written to a client; for a live event, one sample per"
                        + " event loop, when the loop has written it to all its clients")
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2))
                .register(meters);
        this.delivered = Counter.builder("optik.realtime.events.delivered")
                .description("SSE messages written to clients").register(meters);
        this.skipped = Counter.builder("optik.realtime.events.conflated")
                .description("Stock levels and omset figures a slow client skipped for a newer value").register(meters);
        meters.gauge("optik.realtime.connections.max", maxConnections);
        for (Endpoint e : Endpoint.values()) {
            AtomicInteger n = new AtomicInteger();
            open.put(e, n);
            meters.gauge("optik.realtime.connections", Tags.of("endpoint", e.path()), n);
        }
    }

    /** Streams open on this node now. */
    public int open() {
        int sum = 0;
        for (AtomicInteger n : open.values()) {
            sum += n.get();
        }
        return sum;
    }

    void opened(Endpoint endpoint) {
        open.get(endpoint).incrementAndGet();
    }

    void closed(Endpoint endpoint, Connection.Reason reason) {
        open.get(endpoint).decrementAndGet();
        meters.counter("optik.realtime.disconnects", "reason",
                reason.name().toLowerCase(Locale.ROOT).replace('_', '-')).increment();
    }

    void skipped(long messages) {
        skipped.increment(messages);
    }

    /**
     * An event just written to {@code clients} streams: each is counted, and the latency is taken
     * once. A live event is counted once per event loop, after the loop's last write, which no
     * client of the loop waited longer than; a replayed or held-back one per write.
     */
    void delivered(int clients, long committedAtMillis) {
        if (clients > 0) {
            delivered.increment(clients);
            deliveryLatency.record(Math.max(0, System.currentTimeMillis() - committedAtMillis), TimeUnit.MILLISECONDS);
        }
    }
}
