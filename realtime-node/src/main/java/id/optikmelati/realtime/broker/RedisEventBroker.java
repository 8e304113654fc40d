package id.optikmelati.realtime.broker;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventBroker} on Redis: one pub/sub connection per node (SUBSCRIBE to every branch's live
 * channel) and one command connection for stream reads and snapshots. Lettuce reconnects and
 * resubscribes by itself; each resubscription is reported so the hub can fill the gap from the stream.
 */
public class RedisEventBroker implements EventBroker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisEventBroker.class);

    private final ClientResources resources;
    private final RedisClient client;
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    private final Counter malformed;
    private final Counter resubscriptions;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile StatefulRedisConnection<String, String> commands;

    public RedisEventBroker(String redisUrl, MeterRegistry meters) {
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(redisUrl));
        this.malformed = Counter.builder("optik.realtime.events.malformed")
                .description("Messages on a live channel that were not valid events (dropped)").register(meters);
        this.resubscriptions = Counter.builder("optik.realtime.redis.resubscriptions")
                .description("Times a branch subscription was re-established after Redis went away").register(meters);
    }

    @Override
    public void start(Listener listener) {
        StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            private final Set<Long> seen = ConcurrentHashMap.newKeySet();

            @Override
            public void message(String channel, String message) {
                try {
                    listener.onEvent(EventCodec.decode(message));
                } catch (EventCodec.MalformedEventException e) {
                    malformed.increment();
                    log.warn("dropped a malformed event on {}: {}", channel, e.getMessage());
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                long branch = RedisKeys.branchOfChannel(channel);
                if (branch > 0) {
                    if (!seen.add(branch)) {
                        resubscriptions.increment();
                    }
                    listener.onSubscribed(branch);
                }
            }
        });
        this.pubsub = connection;
        watched.forEach(b -> connection.async().subscribe(RedisKeys.channel(b)));
    }

    @Override
    public void watch(long branchId) {
        if (watched.add(branchId) && pubsub != null) {
            pubsub.async().subscribe(RedisKeys.channel(branchId));
        }
    }

    @Override
    public CompletableFuture<List<ShopEvent>> history(long branchId, long afterSeq, int limit) {
        Range<String> range = Range.from(Range.Boundary.including(RedisKeys.streamEntryId(afterSeq + 1)),
                Range.Boundary.unbounded());
        return commands().async().xrange(RedisKeys.stream(branchId), range, Limit.from(limit))
                .thenApply(messages -> {
                    List<ShopEvent> events = new ArrayList<>(messages.size());
                    for (StreamMessage<String, String> m : messages) {
                        try {
                            events.add(EventCodec.decode(m.getBody().get("e")));
                        } catch (EventCodec.MalformedEventException | NullPointerException e) {
                            malformed.increment();
                        }
                    }
                    return events;
                })
                .toCompletableFuture();
    }

    @Override
    public CompletableFuture<BranchSnapshot> snapshot(long branchId) {
        return commands().async().hgetall(RedisKeys.snapshot(branchId)).thenApply(fields -> {
            String seq = fields.get(RedisKeys.SNAPSHOT_SEQ);
            if (seq == null) {
                return new BranchSnapshot(branchId, null, null, List.of());
            }
            String omset = fields.get(RedisKeys.SNAPSHOT_OMSET);
            List<Payloads.StockUpdate> stock = new ArrayList<>();
            fields.forEach((field, value) -> {
                if (RedisKeys.isSnapshotStockField(field)) {
                    stock.add(EventCodec.fromJson(value, Payloads.StockUpdate.class));
                }
            });
            return new BranchSnapshot(branchId, Long.parseLong(seq),
                    omset == null ? null : EventCodec.fromJson(omset, Payloads.Omset.class), stock);
        }).toCompletableFuture();
    }

    @Override
    public CompletableFuture<Map<Long, String>> branches() {
        return commands().async().hgetall(RedisKeys.branches()).thenApply(fields -> {
            Map<Long, String> branches = new TreeMap<>();
            fields.forEach((id, name) -> branches.put(Long.parseLong(id), name));
            return branches;
        }).toCompletableFuture();
    }

    /** The command connection (opened on first use), also used for the cluster-wide connection limit. */
    public StatefulRedisConnection<String, String> commands() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            synchronized (this) {
                c = commands;
                if (c == null) {
                    c = client.connect();
                    commands = c;
                }
            }
        }
        return c;
    }

    @Override
    public void close() {
        if (pubsub != null) {
            pubsub.close();
        }
        if (commands != null) {
            commands.close();
        }
        client.shutdown();
        resources.shutdown();
    }
}
