package id.optikmelati.realtime.broker;

import id.optikmelati.contract.EventCodec;
import id.optikmelati.contract.Payloads;
import id.optikmelati.contract.RedisKeys;
import id.optikmelati.contract.ShopEvent;
import id.optikmelati.redis.RedisConnector;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventBroker} on Redis: one pub/sub connection per node (SUBSCRIBE to every branch's live
 * channel) and the shared command connection for stream reads and snapshots. Lettuce reconnects and
 * resubscribes by itself; each resubscription is reported so the hub can fill the gap from the stream.
 */
public class RedisEventBroker implements EventBroker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisEventBroker.class);

    private final RedisConnector redis;
    private final boolean cluster;
    private final Set<Long> watched = ConcurrentHashMap.newKeySet();
    /** Branches Redis confirmed a subscription to (Lettuce renews them itself after a reconnect). */
    private final Set<Long> confirmed = ConcurrentHashMap.newKeySet();
    private final Counter malformed;
    private final Counter resubscriptions;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "redis-pubsub-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile Listener listener;
    private volatile boolean closed;

    public RedisEventBroker(RedisConnector redis, MeterRegistry meters) {
        this.redis = redis;
        this.cluster = redis.mode() == RedisConnector.Mode.CLUSTER;
        this.malformed = Counter.builder("optik.realtime.events.malformed")
                .description("Messages on a live channel that were not valid events (dropped)").register(meters);
        this.resubscriptions = Counter.builder("optik.realtime.redis.resubscriptions")
                .description("Times a branch subscription was re-established after Redis went away").register(meters);
        Gauge.builder("optik.realtime.redis.subscribed", this, b -> b.subscribed() ? 1 : 0)
                .description("1 while the node's Redis subscription is open").register(meters);
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        connector.execute(this::connect);
    }

    /**
     * Opens the pub/sub connection, retrying every second while Redis is unreachable, so a node
     * starts (and answers health checks) during an outage. Once open, Lettuce keeps it alive.
     */
    private void connect() {
        if (closed) {
            return;
        }
        StatefulRedisPubSubConnection<String, String> connection;
        try {
            if (cluster) {
                var c = redis.cluster().connectPubSub();
                c.setNodeMessagePropagation(true); // shard messages reach this listener
                connection = c;
            } else {
                connection = redis.client().connectPubSub();
            }
        } catch (RuntimeException e) {
            log.warn("Redis pub/sub not reachable yet ({}); retrying in 1 s", e.getMessage());
            connector.schedule(this::connect, 1, TimeUnit.SECONDS);
            return;
        }
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String channel, String message) {
                message(channel, message);
            }

            @Override
            public void ssubscribed(String channel, long count) {
                subscribed(channel, count);
            }

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
                    if (!confirmed.add(branch)) {
                        resubscriptions.increment();
                    }
                    listener.onSubscribed(branch);
                }
            }
        });
        this.pubsub = connection;
        watched.forEach(b -> subscribe(connection, b));
    }

    /** Whether the live subscription is open (a readiness detail, not a condition: streams keep their heartbeats). */
    public boolean subscribed() {
        StatefulRedisPubSubConnection<String, String> c = pubsub;
        return c != null && c.isOpen();
    }

    /**
     * Subscribes unless Redis already confirmed it; a subscribe refused during an outage is retried on
     * the next call. On a cluster it subscribes again on every call (each heartbeat round): after a
     * failover the branch's shard has a new primary, and the new subscription (with its gap fill
     * from the stream) is how the node follows it.
     */
    @Override
    public void watch(long branchId) {
        watched.add(branchId);
        StatefulRedisPubSubConnection<String, String> c = pubsub;
        if (c != null && (cluster || !confirmed.contains(branchId))) {
            subscribe(c, branchId);
        }
    }

    /** SSUBSCRIBE on a cluster (sharded: the branch's shard only), SUBSCRIBE on a single Redis. */
    private void subscribe(StatefulRedisPubSubConnection<String, String> c, long branchId) {
        if (cluster) {
            c.async().ssubscribe(RedisKeys.channel(branchId));
        } else {
            c.async().subscribe(RedisKeys.channel(branchId));
        }
    }

    @Override
    public CompletableFuture<List<ShopEvent>> history(long branchId, long afterSeq, int limit) {
        Range<String> range = Range.from(Range.Boundary.including(RedisKeys.streamEntryId(afterSeq + 1)),
                Range.Boundary.unbounded());
        return redis.call(r -> r.xrange(RedisKeys.stream(branchId), range, Limit.from(limit)))
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
                });
    }

    @Override
    public CompletableFuture<BranchSnapshot> snapshot(long branchId) {
        return redis.call(r -> r.hgetall(RedisKeys.snapshot(branchId))).thenApply(fields -> {
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
        });
    }

    @Override
    public CompletableFuture<BranchHead> head(long branchId) {
        return redis.call(r -> r.hmget(RedisKeys.snapshot(branchId), RedisKeys.SNAPSHOT_SEQ, RedisKeys.SNAPSHOT_OMSET))
                .thenApply(values -> {
                    String seq = values.get(0).getValueOrElse(null);
                    String omset = values.get(1).getValueOrElse(null);
                    return new BranchHead(branchId, seq == null ? null : Long.parseLong(seq),
                            seq == null || omset == null ? null : EventCodec.fromJson(omset, Payloads.Omset.class));
                });
    }

    @Override
    public CompletableFuture<Map<Long, String>> branches() {
        return redis.call(r -> r.hgetall(RedisKeys.branches())).thenApply(fields -> {
            Map<Long, String> branches = new TreeMap<>();
            fields.forEach((id, name) -> branches.put(Long.parseLong(id), name));
            return branches;
        });
    }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        if (pubsub != null) {
            pubsub.close();
        }
    }
}
